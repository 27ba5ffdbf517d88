/**
 * `require('crypto')`: the hashing and randomness assistants' code uses — createHash and createHmac
 * (md5, sha1, sha224, sha256, sha384, sha512, from @noble/hashes), randomBytes, randomUUID,
 * randomInt, getRandomValues and timingSafeEqual — with Node's results and errors. Part of the
 * node chunk; random bytes come from the platform chunk's crypto (the host's generator).
 */
import { hmac } from '@noble/hashes/hmac.js'
import { md5, sha1 } from '@noble/hashes/legacy.js'
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js'

type BufferLike = Uint8Array & { toString(encoding?: string): string }
interface BufferStatic {
  from(value: unknown, encoding?: string): BufferLike
  isBuffer(value: unknown): boolean
}

const ALGORITHMS = { md5, sha1, sha224, sha256, sha384, sha512 } as const
type Algorithm = keyof typeof ALGORITHMS

interface Hasher {
  update(data: Uint8Array): unknown
  digest(): Uint8Array
}

function withCode<E extends Error>(error: E, code: string): E {
  Object.defineProperty(error, 'code', { value: code, writable: true, configurable: true, enumerable: false })
  return error
}

function describeReceived(value: unknown): string {
  if (value === null || value === undefined) return `Received ${value}`
  if (typeof value === 'object' || typeof value === 'function') return 'Received an instance of Object'
  return `Received type ${typeof value} (${`${value as string}`})`
}

function algorithmOf(name: unknown): Algorithm | undefined {
  const key = `${name as string}`.toLowerCase().replace(/^rsa-/, '').replace('-', '')
  return Object.hasOwn(ALGORITHMS, key) ? (key as Algorithm) : undefined
}

export function createCrypto(Buffer: BufferStatic, randomFill: (bytes: Uint8Array) => void): Record<string, unknown> {
  const toBytes = (data: unknown, encoding?: string): Uint8Array => {
    if (typeof data === 'string') return Buffer.from(data, encoding ?? 'utf8')
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    if (data instanceof ArrayBuffer) return new Uint8Array(data)
    throw withCode(
      new TypeError(`The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. ${describeReceived(data)}`),
      'ERR_INVALID_ARG_TYPE',
    )
  }

  /** Node's Hash and Hmac: update(...) chains, digest(encoding) once. */
  class Digest {
    readonly #hasher: Hasher
    #finished = false

    constructor(hasher: Hasher) {
      this.#hasher = hasher
    }

    update(data: unknown, encoding?: string): this {
      if (this.#finished) throw withCode(new Error('Digest already called'), 'ERR_CRYPTO_HASH_FINALIZED')
      this.#hasher.update(toBytes(data, encoding))
      return this
    }

    digest(encoding?: string): BufferLike | string {
      if (this.#finished) throw withCode(new Error('Digest already called'), 'ERR_CRYPTO_HASH_FINALIZED')
      this.#finished = true
      const result = Buffer.from(this.#hasher.digest())
      return encoding === undefined || encoding === 'buffer' ? result : result.toString(encoding)
    }
  }
  class Hash extends Digest {}
  class Hmac extends Digest {}

  function randomBytes(size: unknown, callback?: (error: Error | null, bytes: BufferLike) => void): BufferLike | undefined {
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > 2 ** 31 - 1) {
      throw withCode(new RangeError(`The value of "size" is out of range. It must be >= 0 && <= 2147483647. Received ${`${size as string}`}`), 'ERR_OUT_OF_RANGE')
    }
    const bytes = new Uint8Array(size)
    for (let offset = 0; offset < size; offset += 65_536) randomFill(bytes.subarray(offset, Math.min(size, offset + 65_536)))
    const buffer = Buffer.from(bytes.buffer)
    if (typeof callback !== 'function') return buffer
    setTimeout(() => callback(null, buffer), 0)
    return undefined
  }

  return {
    createHash(algorithm: unknown): Hash {
      const name = algorithmOf(algorithm)
      if (name === undefined) throw new Error('Digest method not supported')
      return new Hash(ALGORITHMS[name].create())
    },
    createHmac(algorithm: unknown, key: unknown): Hmac {
      const name = algorithmOf(algorithm)
      if (name === undefined) throw withCode(new TypeError(`Invalid digest: ${`${algorithm as string}`}`), 'ERR_CRYPTO_INVALID_DIGEST')
      return new Hmac(hmac.create(ALGORITHMS[name], toBytes(key)))
    },
    getHashes: () => Object.keys(ALGORITHMS),
    randomBytes,
    randomUUID: () => globalThis.crypto.randomUUID(),
    randomInt(min: number, max?: number): number {
      const [low, high] = max === undefined ? [0, min] : [min, max]
      if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low) {
        throw withCode(new RangeError(`The value of "max" is out of range. It must be greater than the value of "min" (${low}). Received ${high}`), 'ERR_OUT_OF_RANGE')
      }
      const range = high - low
      // Rejection sampling over 48 random bits: no modulo bias.
      const limit = 2 ** 48 - (2 ** 48 % range)
      for (;;) {
        const bytes = new Uint8Array(6)
        randomFill(bytes)
        let value = 0
        for (const byte of bytes) value = value * 256 + byte
        if (value < limit) return low + (value % range)
      }
    },
    getRandomValues: <T extends ArrayBufferView>(array: T): T => globalThis.crypto.getRandomValues(array as never) as unknown as T,
    timingSafeEqual(a: unknown, b: unknown): boolean {
      const left = toBytes(a)
      const right = toBytes(b)
      if (left.length !== right.length) throw withCode(new RangeError('Input buffers must have the same byte length'), 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH')
      let difference = 0
      for (let index = 0; index < left.length; index++) difference |= left[index]! ^ right[index]!
      return difference === 0
    },
    Hash,
    Hmac,
    webcrypto: globalThis.crypto,
  }
}
