/**
 * `crypto.subtle` for what assistants' code uses it for: `digest` (SHA-1, SHA-256, SHA-384,
 * SHA-512) and HMAC keys (`importKey` raw or jwk, `generateKey`, `exportKey`, `sign`, `verify`),
 * with Node 20's results, promise timing (every failure is a rejection) and errors. Hashes come
 * from @noble/hashes, as for `require('crypto')`. Other algorithms (AES, RSA, ECDSA, PBKDF2, ...)
 * are rejected with a NotSupportedError that says so. A chunk of its own (lazy.ts), loaded on the
 * first read of `crypto.subtle`, so the hash code costs nothing to runs that never ask for it.
 *
 * A CryptoKey's secret lives in a private field: an object the code makes cannot pass for a key.
 */
import { hmac } from '@noble/hashes/hmac.js'
import { sha1 } from '@noble/hashes/legacy.js'
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js'
import type { CHash } from '@noble/hashes/utils.js'
import type { GuestHostFunctions } from './guest-api'
import { describeReceived, nodeTypeError, withCode } from './web-errors'
import {
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  ArrayBufferPrototypeSlice,
  ArrayIsArray,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  InspectCustomSymbol,
  ObjectDefineProperty,
  PromiseCtor,
  StringCtor,
  StringPrototypeCharCodeAt,
  StringPrototypeToUpperCase,
  SymbolIterator,
  SymbolToStringTag,
  TypeErrorCtor,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  Uint8ArrayCtor,
  hasBrand,
  newList,
  push,
} from './primordials'

type Hash = CHash
type HashName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512'

const HASHES: Readonly<Record<HashName, Hash>> = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 }
/** HMAC's default key length is the hash's block size (RFC 2104). */
const BLOCK_BITS: Readonly<Record<HashName, number>> = { 'SHA-1': 512, 'SHA-256': 512, 'SHA-384': 1024, 'SHA-512': 1024 }
const JWK_ALG: Readonly<Record<HashName, string>> = { 'SHA-1': 'HS1', 'SHA-256': 'HS256', 'SHA-384': 'HS384', 'SHA-512': 'HS512' }
const HASH_NAMES: readonly HashName[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']
/** Web Crypto algorithms Node has and the sandbox does not: named in the error, not "unrecognized". */
const OTHER_ALGORITHMS = [
  'RSASSA-PKCS1-V1_5', 'RSA-PSS', 'RSA-OAEP', 'ECDSA', 'ECDH', 'ED25519', 'X25519', 'ED448', 'X448',
  'AES-CTR', 'AES-CBC', 'AES-GCM', 'AES-KW', 'HKDF', 'PBKDF2',
]

let host: GuestHostFunctions
let domException: (message: string, name: string) => Error

// ------------------------------------------------------------------------------ argument checks

const ORDINALS = ['1st', '2nd', '3rd', '4th', '5th']

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return hasBrand(ArrayBufferPrototypeGetByteLength as (value: never) => unknown, value)
}

/** A copy of a BufferSource's bytes, or Node's TypeError naming the argument. */
function bufferSource(value: unknown, method: string, position: number): Uint8Array {
  if (isArrayBuffer(value)) return new Uint8ArrayCtor(ArrayBufferPrototypeSlice(value, 0))
  if (ArrayBufferIsView(value)) {
    if (hasBrand(TypedArrayPrototypeGetByteLength as (value: never) => unknown, value)) {
      const offset = TypedArrayPrototypeGetByteOffset(value)
      return new Uint8ArrayCtor(ArrayBufferPrototypeSlice(TypedArrayPrototypeGetBuffer(value), offset, offset + TypedArrayPrototypeGetByteLength(value)))
    }
    const view = value as DataView
    const offset = DataViewPrototypeGetByteOffset(view)
    return new Uint8ArrayCtor(ArrayBufferPrototypeSlice(DataViewPrototypeGetBuffer(view), offset, offset + DataViewPrototypeGetByteLength(view)))
  }
  throw nodeTypeError(
    `Failed to execute '${method}' on 'SubtleCrypto': ${ORDINALS[position - 1]} argument is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.`,
    'ERR_INVALID_ARG_TYPE',
  )
}

function requireArguments(count: number, required: number, method: string): void {
  if (count < required) {
    throw nodeTypeError(`Failed to execute '${method}' on 'SubtleCrypto': ${required} arguments required, but only ${count} present.`, 'ERR_MISSING_ARGS')
  }
}

function missingMember(dictionary: string, member: string): TypeError {
  return withCode(
    new TypeErrorCtor(`Failed to normalize algorithm: passed algorithm can not be converted to '${dictionary}' because '${member}' is required in '${dictionary}'.`),
    'ERR_MISSING_OPTION',
  )
}

/** Web IDL's AlgorithmIdentifier: a string, or an object with a `name`. */
function algorithmName(algorithm: unknown, dictionary = 'Algorithm'): { name: string; params: Record<string, unknown> } {
  if (typeof algorithm === 'object' && algorithm !== null) {
    const name = (algorithm as { name?: unknown }).name
    if (name === undefined) throw missingMember(dictionary, 'name')
    return { name: StringCtor(name), params: algorithm as Record<string, unknown> }
  }
  return { name: StringCtor(algorithm), params: {} }
}

function unrecognized(): Error {
  return domException('Unrecognized algorithm name', 'NotSupportedError')
}

function hashName(algorithm: unknown): HashName {
  const upper = StringPrototypeToUpperCase(algorithmName(algorithm).name)
  for (let index = 0; index < HASH_NAMES.length; index++) if (HASH_NAMES[index] === upper) return HASH_NAMES[index]!
  throw unrecognized()
}

/** HMAC, or a rejection saying what the sandbox does not have. */
function requireHmac(name: string): void {
  const upper = StringPrototypeToUpperCase(name)
  if (upper === 'HMAC') return
  for (let index = 0; index < OTHER_ALGORITHMS.length; index++) {
    if (OTHER_ALGORITHMS[index] === upper) {
      throw domException(`${OTHER_ALGORITHMS[index]!} is not available in Airlock's sandbox: crypto.subtle there provides SHA digests and HMAC`, 'NotSupportedError')
    }
  }
  throw unrecognized()
}

/** The usages list, converted as a Web IDL sequence (checked later by `checkHmacUsages`). */
function usageList(usages: unknown, method: string): string[] {
  if (typeof usages !== 'object' || usages === null || typeof (usages as { [SymbolIterator]?: unknown })[SymbolIterator] !== 'function') {
    throw nodeTypeError(`Failed to execute '${method}' on 'SubtleCrypto': ${method === 'importKey' ? '5th' : '3rd'} argument can not be converted to sequence.`, 'ERR_INVALID_ARG_TYPE')
  }
  const list: string[] = []
  for (const usage of usages as Iterable<unknown>) list[list.length] = StringCtor(usage)
  return list
}

/** Only `sign` and `verify` make sense for an HMAC key. */
function checkHmacUsages(list: readonly string[]): void {
  for (let index = 0; index < list.length; index++) {
    if (list[index] !== 'sign' && list[index] !== 'verify') throw domException('Unsupported key usage for an HMAC key', 'SyntaxError')
  }
}

// ------------------------------------------------------------------------------ CryptoKey

const KEY_CONSTRUCT = {}

interface HmacAlgorithm {
  readonly name: 'HMAC'
  readonly hash: { readonly name: HashName }
  readonly length: number
}

let keyState!: (value: unknown) => { secret: Uint8Array; extractable: boolean; algorithm: HmacAlgorithm; usages: string[] }
let isCryptoKey!: (value: unknown) => value is CryptoKey

export class CryptoKey {
  readonly #secret: Uint8Array
  readonly #extractable: boolean
  readonly #algorithm: HmacAlgorithm
  readonly #usages: string[]

  constructor(key?: unknown, secret?: Uint8Array, extractable?: boolean, algorithm?: HmacAlgorithm, usages?: string[]) {
    if (key !== KEY_CONSTRUCT) throw nodeTypeError('Illegal constructor', 'ERR_ILLEGAL_CONSTRUCTOR')
    this.#secret = secret!
    this.#extractable = extractable!
    this.#algorithm = algorithm!
    this.#usages = usages!
  }

  get type(): string {
    keyState(this)
    return 'secret'
  }

  get extractable(): boolean {
    return keyState(this).extractable
  }

  get algorithm(): HmacAlgorithm {
    return keyState(this).algorithm
  }

  get usages(): string[] {
    return keyState(this).usages
  }

  static {
    keyState = (value: unknown) => {
      if (typeof value !== 'object' || value === null || !(#secret in value)) throw new TypeErrorCtor('Illegal invocation')
      return { secret: value.#secret, extractable: value.#extractable, algorithm: value.#algorithm, usages: value.#usages }
    }
    isCryptoKey = (value: unknown): value is CryptoKey => typeof value === 'object' && value !== null && #secret in value
  }
}


/** Node prints `CryptoKey { type: 'secret', extractable: true, algorithm: {...}, usages: [...] }`. */
function inspectKey(this: CryptoKey, depth: number, options: { depth?: number | null }, inspect: (value: unknown, options: unknown) => string): unknown {
  if (depth < 0 || !isCryptoKey(this)) return this
  const state = keyState(this)
  const shown = { type: 'secret', extractable: state.extractable, algorithm: state.algorithm, usages: state.usages }
  return `CryptoKey ${inspect(shown, { ...options, depth: options.depth === null || options.depth === undefined ? null : options.depth - 1 })}`
}
ObjectDefineProperty(CryptoKey.prototype, InspectCustomSymbol, { value: inspectKey, writable: true, configurable: true })
ObjectDefineProperty(CryptoKey.prototype, SymbolToStringTag, { value: 'CryptoKey', configurable: true })

function requireKey(value: unknown, method: string): { secret: Uint8Array; extractable: boolean; algorithm: HmacAlgorithm; usages: string[] } {
  if (!isCryptoKey(value)) throw nodeTypeError(`Failed to execute '${method}' on 'SubtleCrypto': 2nd argument is not of type CryptoKey.`, 'ERR_INVALID_ARG_TYPE')
  return keyState(value)
}

function hasUsage(usages: readonly string[], usage: string): boolean {
  for (let index = 0; index < usages.length; index++) if (usages[index] === usage) return true
  return false
}

// ------------------------------------------------------------------------------ base64url (JWK)

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

function toBase64Url(bytes: Uint8Array): string {
  let text = ''
  for (let index = 0; index < bytes.length; index += 3) {
    const available = bytes.length - index
    const bits = (bytes[index]! << 16) | ((available > 1 ? bytes[index + 1]! : 0) << 8) | (available > 2 ? bytes[index + 2]! : 0)
    text += BASE64URL[(bits >> 18) & 63]! + BASE64URL[(bits >> 12) & 63]!
    if (available > 1) text += BASE64URL[(bits >> 6) & 63]!
    if (available > 2) text += BASE64URL[bits & 63]!
  }
  return text
}

function fromBase64Url(text: string): Uint8Array {
  const values = newList<number>()
  for (let index = 0; index < text.length; index++) {
    const code = StringPrototypeCharCodeAt(text, index)
    let value = -1
    if (code >= 65 && code <= 90) value = code - 65
    else if (code >= 97 && code <= 122) value = code - 71
    else if (code >= 48 && code <= 57) value = code + 4
    else if (code === 45 || code === 43) value = 62
    else if (code === 95 || code === 47) value = 63
    else if (code === 61) break
    if (value < 0) throw domException('Invalid keyData', 'DataError')
    push(values, value)
  }
  const bytes = new Uint8ArrayCtor((values.length * 6) >> 3)
  let buffer = 0
  let bits = 0
  let written = 0
  for (let index = 0; index < values.length; index++) {
    buffer = ((buffer << 6) | values[index]!) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes[written++] = (buffer >> bits) & 0xff
    }
  }
  return bytes
}

// ------------------------------------------------------------------------------ SubtleCrypto

const SUBTLE_CONSTRUCT = {}

/** Runs `operation` as Node's async methods do: its result or its exception becomes the promise. */
function settle<T>(operation: () => T): Promise<Awaited<T>> {
  return new PromiseCtor<Awaited<T>>((resolve) => resolve(operation() as Awaited<T>))
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return ArrayBufferPrototypeSlice(TypedArrayPrototypeGetBuffer(bytes), TypedArrayPrototypeGetByteOffset(bytes), TypedArrayPrototypeGetByteOffset(bytes) + TypedArrayPrototypeGetByteLength(bytes))
}

function newKey(secret: Uint8Array, extractable: boolean, algorithm: HmacAlgorithm, usages: string[]): CryptoKey {
  return new CryptoKey(KEY_CONSTRUCT, secret, extractable, algorithm, usages)
}

function hmacHash(params: Record<string, unknown>, dictionary: string): HashName {
  if (params.hash === undefined) throw missingMember(dictionary, 'hash')
  return hashName(params.hash)
}

function notAvailable(operation: string): Promise<never> {
  return settle(() => {
    throw domException(`crypto.subtle.${operation} is not available in Airlock's sandbox: it provides digest and HMAC keys (importKey, generateKey, exportKey, sign, verify)`, 'NotSupportedError')
  })
}

export class SubtleCrypto {
  constructor(key?: unknown) {
    if (key !== SUBTLE_CONSTRUCT) throw nodeTypeError('Illegal constructor', 'ERR_ILLEGAL_CONSTRUCTOR')
  }

  // In the order Node defines them (Object.getOwnPropertyNames shows it).
  encrypt(): Promise<never> {
    return notAvailable('encrypt')
  }

  decrypt(): Promise<never> {
    return notAvailable('decrypt')
  }

  sign(algorithm: unknown, key: unknown, data: unknown): Promise<ArrayBuffer> {
    const count = arguments.length
    return settle(() => {
      requireArguments(count, 3, 'sign')
      requireHmac(algorithmName(algorithm).name)
      const state = requireKey(key, 'sign')
      const bytes = bufferSource(data, 'sign', 3)
      if (!hasUsage(state.usages, 'sign')) throw domException('Unable to use this key to sign', 'InvalidAccessError')
      return toArrayBuffer(hmac(HASHES[state.algorithm.hash.name], state.secret, bytes))
    })
  }

  verify(algorithm: unknown, key: unknown, signature: unknown, data: unknown): Promise<boolean> {
    const count = arguments.length
    return settle(() => {
      requireArguments(count, 4, 'verify')
      requireHmac(algorithmName(algorithm).name)
      const state = requireKey(key, 'verify')
      const expected = bufferSource(signature, 'verify', 3)
      const bytes = bufferSource(data, 'verify', 4)
      if (!hasUsage(state.usages, 'verify')) throw domException('Unable to use this key to verify', 'InvalidAccessError')
      const actual = hmac(HASHES[state.algorithm.hash.name], state.secret, bytes)
      if (actual.length !== expected.length) return false
      // Constant time: the comparison does not stop at the first differing byte.
      let difference = 0
      for (let index = 0; index < actual.length; index++) difference |= actual[index]! ^ expected[index]!
      return difference === 0
    })
  }

  digest(algorithm: unknown, data: unknown): Promise<ArrayBuffer> {
    const count = arguments.length
    return settle(() => {
      requireArguments(count, 2, 'digest')
      const bytes = bufferSource(data, 'digest', 2)
      return toArrayBuffer(HASHES[hashName(algorithm)](bytes))
    })
  }

  generateKey(algorithm: unknown, extractable: unknown, usages: unknown): Promise<CryptoKey> {
    const count = arguments.length
    return settle(() => {
      requireArguments(count, 3, 'generateKey')
      const list = usageList(usages, 'generateKey')
      const { name, params } = algorithmName(algorithm)
      requireHmac(name)
      const hash = hmacHash(params, 'HmacKeyGenParams')
      checkHmacUsages(list)
      let length = BLOCK_BITS[hash]
      if (params.length !== undefined) {
        length = +(params.length as number)
        if (length % 8 !== 0) {
          throw withCode(new TypeErrorCtor(`The property 'algorithm.length' must be a multiple of 8. Received ${length}`), 'ERR_INVALID_ARG_VALUE')
        }
        if (length <= 0 || length > 65_536 * 8) throw domException('The operation failed for an operation-specific reason', 'OperationError')
      }
      if (list.length === 0) throw domException('Usages cannot be empty when creating a key.', 'SyntaxError')
      const secret = new Uint8ArrayCtor(host.randomBytes(length / 8))
      return newKey(secret, !!extractable, { name: 'HMAC', length, hash: { name: hash } } as HmacAlgorithm, list)
    })
  }

  deriveKey(): Promise<never> {
    return notAvailable('deriveKey')
  }

  deriveBits(): Promise<never> {
    return notAvailable('deriveBits')
  }

  importKey(format: unknown, keyData: unknown, algorithm: unknown, extractable: unknown, usages: unknown): Promise<CryptoKey> {
    const count = arguments.length
    return settle(() => {
      requireArguments(count, 4, 'importKey')
      const kind = StringCtor(format)
      let secret: Uint8Array | undefined
      if (kind !== 'jwk') secret = bufferSource(keyData, 'importKey', 2)
      const list = usageList(usages, 'importKey')
      const { name, params } = algorithmName(algorithm)
      requireHmac(name)
      const hash = hmacHash(params, 'HmacImportParams')
      checkHmacUsages(list)
      if (kind === 'jwk') secret = jwkSecret(keyData, hash)
      // Node 20 gives this DOMException the name 'Error'.
      else if (kind !== 'raw') throw domException(`Unable to import HMAC key with format ${kind}`, 'Error')
      if (list.length === 0) throw domException('Usages cannot be empty when importing a secret key.', 'SyntaxError')
      if (secret!.length === 0) throw domException('Zero-length key is not supported', 'DataError')
      let length = secret!.length * 8
      if (params.length !== undefined) {
        const requested = +(params.length as number)
        if (requested > length || requested <= length - 8) throw domException('Invalid key length', 'DataError')
        length = requested
      }
      return newKey(secret!, !!extractable, { name: 'HMAC', hash: { name: hash }, length }, list)
    })
  }

  exportKey(format: unknown, key: unknown): Promise<ArrayBuffer | Record<string, unknown>> {
    const count = arguments.length
    return settle((): ArrayBuffer | Record<string, unknown> => {
      requireArguments(count, 2, 'exportKey')
      const state = requireKey(key, 'exportKey')
      // Node 20 names this error InvalidAccessException (sic).
      if (!state.extractable) throw domException('key is not extractable', 'InvalidAccessException')
      const kind = StringCtor(format)
      if (kind === 'raw') return toArrayBuffer(state.secret)
      if (kind === 'jwk') {
        const usages: string[] = []
        for (let index = 0; index < state.usages.length; index++) usages[index] = state.usages[index]!
        return { key_ops: usages, ext: state.extractable, kty: 'oct', k: toBase64Url(state.secret), alg: JWK_ALG[state.algorithm.hash.name] }
      }
      throw domException(`Unable to export a raw HMAC secret key`, 'InvalidAccessError')
    })
  }

  wrapKey(): Promise<never> {
    return notAvailable('wrapKey')
  }

  unwrapKey(): Promise<never> {
    return notAvailable('unwrapKey')
  }
}
ObjectDefineProperty(SubtleCrypto.prototype, SymbolToStringTag, { value: 'SubtleCrypto', configurable: true })

/** The secret of an `oct` JWK, checked as Node checks it. */
function jwkSecret(keyData: unknown, hash: HashName): Uint8Array {
  if (typeof keyData !== 'object' || keyData === null || ArrayIsArray(keyData)) {
    throw nodeTypeError(`The "keyData" argument must be of type object. ${describeReceived(keyData)}`, 'ERR_INVALID_ARG_TYPE')
  }
  const jwk = keyData as { kty?: unknown; k?: unknown; alg?: unknown }
  if (jwk.kty !== 'oct') throw domException('Invalid JWK "kty" Parameter', 'DataError')
  if (typeof jwk.k !== 'string') throw domException('Invalid JWK "k" Parameter', 'DataError')
  if (jwk.alg !== undefined && jwk.alg !== JWK_ALG[hash]) throw domException('JWK "alg" does not match the requested algorithm', 'DataError')
  return fromBase64Url(jwk.k)
}

/** Connects the chunk to the host; returns the one `crypto.subtle` and the classes. */
export function setupSubtle(
  hostFunctions: GuestHostFunctions,
  makeDomException: (message: string, name: string) => Error,
): { subtle: SubtleCrypto; SubtleCrypto: typeof SubtleCrypto; CryptoKey: typeof CryptoKey } {
  host = hostFunctions
  domException = makeDomException
  return { subtle: new SubtleCrypto(SUBTLE_CONSTRUCT), SubtleCrypto, CryptoKey }
}
