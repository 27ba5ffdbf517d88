// Share links carry code in the URL fragment, which browsers never send to a server:
//   #code=<base64url UTF-8 source>[&lang=js|ts][&engine=quickjs|webcontainer][&policy=<base64url policy JSON>]
//   #files=<base64url JSON {"path": "source", ...}>&entry=<percent-encoded path>[&lang=…][&engine=…][&policy=…]
// Decoding never throws and never half-opens: a link is either read whole or refused with a message.
import { err, ok, type Result } from '../common/result'
import { checkFilePath, MAX_FILE_PATH_CHARS } from '../project/file-names'

export type ShareLanguage = 'js' | 'ts'
export type ShareEngine = 'quickjs' | 'webcontainer'

/** What a share link is made from: the files, the one that runs, and optional settings. */
export interface ShareLinkInput {
  readonly files: Readonly<Record<string, string>>
  readonly entry: string
  readonly language?: ShareLanguage
  readonly engine?: ShareEngine
  /** The policy JSON text as the person wrote it; omitted when the default policy applies. */
  readonly policyText?: string
}

/** What a share link opens. A `code=` link gives one file, `main.ts` or `main.js` by its language. */
export interface ShareLink {
  files: Record<string, string>
  entry: string
  language?: ShareLanguage
  engine?: ShareEngine
  policyText?: string
}

/** Why a link was refused; `message` is a plain sentence for a person, ending in "Nothing was opened." */
export interface ShareLinkError {
  readonly kind:
    | 'empty' // no fragment at all
    | 'too-large' // refused before decoding
    | 'malformed' // damaged or cut off: bad base64url, UTF-8, percent-encoding or files JSON
    | 'missing-code' // neither `code` nor `files`
    | 'ambiguous' // both `code` and `files`, or a parameter given twice
    | 'invalid-files' // `files` is not a non-empty map of acceptable paths to text
    | 'invalid-entry' // `entry` missing for `files`, or not one of them
    | 'invalid-value' // `lang` or `engine` names something unknown
  readonly message: string
}

/** Longest fragment `decodeShareLink` looks at; longer ones are refused before any decoding. */
export const MAX_SHARE_FRAGMENT_CHARS = 4 * 1024 * 1024

/** Longest file path a `files` link may carry. */
export const MAX_SHARE_PATH_CHARS = MAX_FILE_PATH_CHARS

const LANGUAGES: readonly ShareLanguage[] = ['js', 'ts']
const ENGINES: readonly ShareEngine[] = ['quickjs', 'webcontainer']
const KNOWN_PARAMETERS = ['code', 'files', 'entry', 'lang', 'engine', 'policy'] as const
type KnownParameter = (typeof KNOWN_PARAMETERS)[number]

const NOTHING_OPENED = 'Nothing was opened.'
const BYTES_PER_MB = 1024 * 1024

/**
 * The fragment (without `#`) of a link that opens `input`. A single file whose name is the one a
 * `code=` link would give back (`main.js`, or `main.ts` for TypeScript) becomes `code=`; anything
 * else becomes `files=…&entry=…`, so that decoding gives back exactly the same files and entry.
 * @throws Error when `entry` is not one of `files` (a bug in the caller); URIError when `entry`
 * contains a lone surrogate, which percent-encoding cannot carry.
 */
export function encodeShareLink(input: ShareLinkInput): string {
  const paths = Object.keys(input.files)
  if (!Object.hasOwn(input.files, input.entry)) {
    throw new Error(`Airlock bug: the entry ${JSON.stringify(input.entry)} is not one of the files to share`)
  }
  const parts =
    paths.length === 1 && input.entry === singleFileName(input.language)
      ? [`code=${encodeBase64UrlText(input.files[input.entry]!)}`]
      : [`files=${encodeBase64UrlText(JSON.stringify(input.files))}`, `entry=${encodeURIComponent(input.entry)}`]
  if (input.language !== undefined) parts.push(`lang=${input.language}`)
  if (input.engine !== undefined) parts.push(`engine=${input.engine}`)
  if (input.policyText !== undefined) parts.push(`policy=${encodeBase64UrlText(input.policyText)}`)
  return parts.join('&')
}

/**
 * Reads a link fragment (with or without the leading `#`). Unknown parameters are ignored so that
 * older builds still open links from newer ones. Never throws.
 */
export function decodeShareLink(fragment: string): Result<ShareLink, ShareLinkError> {
  // First, before any work proportional to the size: a huge fragment must not freeze the page.
  if (fragment.length > MAX_SHARE_FRAGMENT_CHARS) {
    const size = (fragment.length / BYTES_PER_MB).toFixed(1)
    return refuse('too-large', `This link is too large to open (${size} MB; the limit is ${MAX_SHARE_FRAGMENT_CHARS / BYTES_PER_MB} MB).`)
  }
  const body = fragment.startsWith('#') ? fragment.slice(1) : fragment
  if (body === '') return refuse('empty', 'This link is empty: it has no code to open.')

  const parameters = readParameters(body)
  if (!parameters.ok) return parameters
  const { code, files, entry, lang, engine, policy } = parameters.value

  if (code !== undefined && files !== undefined) {
    return refuse('ambiguous', 'This link has both a "code" and a "files" part, so it is unclear which to open.')
  }
  if (code === undefined && files === undefined) {
    return refuse('missing-code', 'This link has no code in it (it needs a "code" or a "files" part).')
  }
  const language = readChoice('language', lang, LANGUAGES)
  if (!language.ok) return language
  const engineChoice = readChoice('engine', engine, ENGINES)
  if (!engineChoice.ok) return engineChoice

  const opened = code !== undefined ? readSingleFile(code, language.value) : readFiles(files!, entry)
  if (!opened.ok) return opened
  const link: ShareLink = { files: opened.value.files, entry: opened.value.entry }
  if (language.value !== undefined) link.language = language.value
  if (engineChoice.value !== undefined) link.engine = engineChoice.value
  if (policy !== undefined) {
    const policyText = decodeBase64UrlText(policy, 'policy')
    if (!policyText.ok) return policyText
    link.policyText = policyText.value
  }
  return ok(link)
}

// ---- parameters

function readParameters(body: string): Result<Partial<Record<KnownParameter, string>>, ShareLinkError> {
  const values: Partial<Record<KnownParameter, string>> = {}
  for (const part of body.split('&')) {
    if (part === '') continue
    const equals = part.indexOf('=')
    const name = equals < 0 ? part : part.slice(0, equals)
    const value = equals < 0 ? '' : part.slice(equals + 1)
    if (!isKnownParameter(name)) continue // forward compatible: newer links may add parameters
    if (values[name] !== undefined) {
      return refuse('ambiguous', `This link has the "${name}" part twice, so it is unclear which to use.`)
    }
    values[name] = value
  }
  return ok(values)
}

function isKnownParameter(name: string): name is KnownParameter {
  return (KNOWN_PARAMETERS as readonly string[]).includes(name)
}

function readChoice<T extends string>(
  what: 'language' | 'engine',
  value: string | undefined,
  choices: readonly T[],
): Result<T | undefined, ShareLinkError> {
  if (value === undefined) return ok(undefined)
  if ((choices as readonly string[]).includes(value)) return ok(value as T)
  const known = choices.map((choice) => `"${choice}"`).join(' and ')
  return refuse('invalid-value', `This link asks for the ${what} ${quote(value)}, which Airlock does not know (it knows ${known}).`)
}

// ---- files

function singleFileName(language: ShareLanguage | undefined): string {
  return language === 'ts' ? 'main.ts' : 'main.js'
}

function readSingleFile(
  code: string,
  language: ShareLanguage | undefined,
): Result<{ files: Record<string, string>; entry: string }, ShareLinkError> {
  const source = decodeBase64UrlText(code, 'code')
  if (!source.ok) return source
  const entry = singleFileName(language)
  return ok({ files: { [entry]: source.value }, entry })
}

function readFiles(
  encodedFiles: string,
  encodedEntry: string | undefined,
): Result<{ files: Record<string, string>; entry: string }, ShareLinkError> {
  const text = decodeBase64UrlText(encodedFiles, 'files')
  if (!text.ok) return text
  let value: unknown
  try {
    value = JSON.parse(text.value)
  } catch {
    return refuse('malformed', 'This link is damaged or cut off (the files part is not valid JSON).')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse('invalid-files', 'This link\'s files part must map file paths to their source text.')
  }
  const entries = Object.entries(value)
  if (entries.length === 0) return refuse('invalid-files', 'This link\'s files part lists no files.')
  for (const [path, source] of entries) {
    if (typeof source !== 'string') {
      return refuse('invalid-files', `This link's file ${quote(path)} has no source text.`)
    }
    const checked = checkFilePath(path)
    if (!checked.ok) return refuse('invalid-files', `This link has a file named ${quote(path)} that Airlock cannot open: ${checked.error}`)
  }
  // `Object.fromEntries` defines own properties, so a "__proto__" path stays an ordinary file.
  const files: Record<string, string> = Object.fromEntries(entries as [string, string][])
  if (encodedEntry === undefined) {
    return refuse('invalid-entry', 'This link has several files but does not say which one to run (the "entry" part is missing).')
  }
  const entry = decodePercent(encodedEntry)
  if (entry === null) {
    return refuse('malformed', 'This link is damaged or cut off (the entry part is not valid percent-encoding).')
  }
  if (!Object.hasOwn(files, entry)) {
    return refuse('invalid-entry', `This link says to run ${quote(entry)}, which is not one of its files.`)
  }
  return ok({ files, entry })
}

function decodePercent(text: string): string | null {
  try {
    return decodeURIComponent(text)
  } catch {
    return null
  }
}

// ---- base64url of UTF-8 text (RFC 4648 §5, no padding)

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const SEXTET_BY_CHAR_CODE: readonly number[] = (() => {
  const table = new Array<number>(128).fill(-1)
  for (let index = 0; index < BASE64URL_ALPHABET.length; index++) table[BASE64URL_ALPHABET.charCodeAt(index)] = index
  return table
})()

const utf8Encoder = new TextEncoder()
const asciiDecoder = new TextDecoder()

/**
 * base64url (no padding) of the UTF-8 bytes of `text`. Lone surrogates cannot be encoded in UTF-8;
 * TextEncoder replaces each with U+FFFD.
 */
export function encodeBase64UrlText(text: string): string {
  const bytes = utf8Encoder.encode(text)
  const output = new Uint8Array(Math.ceil((bytes.length * 4) / 3))
  let out = 0
  const sextet = (value: number) => BASE64URL_ALPHABET.charCodeAt(value & 0x3f)
  for (let index = 0; index < bytes.length; index += 3) {
    const byte0 = bytes[index]!
    const byte1 = bytes[index + 1] ?? 0
    const byte2 = bytes[index + 2] ?? 0
    const remaining = bytes.length - index
    output[out++] = sextet(byte0 >> 2)
    output[out++] = sextet((byte0 << 4) | (byte1 >> 4))
    if (remaining > 1) output[out++] = sextet((byte1 << 2) | (byte2 >> 6))
    if (remaining > 2) output[out++] = sextet(byte2)
  }
  return asciiDecoder.decode(output)
}

/**
 * The UTF-8 text in a base64url string, strictly: only the 64 characters, no padding, a length a
 * real encoding can have and zero unused bits, since a cut-off link usually breaks one of those.
 */
export function decodeBase64UrlText(encoded: string, part: 'code' | 'files' | 'policy'): Result<string, ShareLinkError> {
  const damaged = (what: string) => refuse('malformed', `This link is damaged or cut off (the ${part} part is not valid ${what}).`)
  const bytes = decodeBase64UrlBytes(encoded)
  if (bytes === null) return damaged('base64url')
  try {
    return ok(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    return damaged('UTF-8 text')
  }
}

function decodeBase64UrlBytes(encoded: string): Uint8Array | null {
  const tail = encoded.length % 4
  if (tail === 1) return null // no byte count encodes to 4n + 1 characters
  const bytes = new Uint8Array(Math.floor((encoded.length * 3) / 4))
  let buffer = 0
  let bufferedBits = 0
  let out = 0
  for (let index = 0; index < encoded.length; index++) {
    const value = SEXTET_BY_CHAR_CODE[encoded.charCodeAt(index)] ?? -1
    if (value < 0) return null
    buffer = ((buffer << 6) | value) & 0xffff
    bufferedBits += 6
    if (bufferedBits >= 8) {
      bufferedBits -= 8
      bytes[out++] = (buffer >> bufferedBits) & 0xff
    }
  }
  // The bits left over after the last byte are always zero in a real encoding.
  if ((buffer & ((1 << bufferedBits) - 1)) !== 0) return null
  return bytes
}

// ---- messages

function refuse(kind: ShareLinkError['kind'], sentence: string): { readonly ok: false; readonly error: ShareLinkError } {
  return err({ kind, message: `${sentence} ${NOTHING_OPENED}` })
}

/** A user string for a message: JSON-quoted (one line) and cut to 200 characters. */
function quote(text: string): string {
  const cut = text.length > 200 ? `${text.slice(0, 200).replace(/[\uD800-\uDBFF]$/, '')}…` : text
  return JSON.stringify(cut)
}
