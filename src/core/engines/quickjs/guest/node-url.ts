/**
 * Node's `url` module: the WHATWG `URL` and `URLSearchParams` (the sandbox's own, web-url.ts),
 * `fileURLToPath` and `pathToFileURL` for POSIX paths, `domainToASCII` (the host's WHATWG parser),
 * and the legacy `parse`, `format`, `resolve` and `resolveObject` from the `url` npm package (the
 * port of Node's legacy parser that browserify ships), whose query strings go through the
 * sandbox's querystring (url-querystring.ts) so `parse(u, true).query` is what Node returns.
 * Part of the node-extras chunk; the npm code is ordinary user-land code.
 */
import * as legacyUrl from 'url/url.js'
import { invalidArgType, nodeError, type LazyInspect } from './node-errors'

/** `%` first, then the characters a path may hold but a file URL may not (Node's encodePathChars). */
const PATH_ESCAPES: readonly [string, string][] = [
  ['%', '%25'],
  ['\\', '%5C'],
  ['\n', '%0A'],
  ['\r', '%0D'],
  ['\t', '%09'],
]

export function createUrl(inspect: LazyInspect, resolvePath: (path: string) => string): Record<string, unknown> {
  const URLCtor = globalThis.URL
  const isUrl = (value: unknown): value is URL => value instanceof URLCtor

  function fileURLToPath(value: unknown): string {
    let url: URL
    if (typeof value === 'string') url = new URLCtor(value)
    else if (isUrl(value)) url = value
    else throw invalidArgType('path', ['string', 'URL'], value, inspect)
    if (url.protocol !== 'file:') throw nodeError(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file')
    if (url.hostname !== '') throw nodeError(TypeError, 'ERR_INVALID_FILE_URL_HOST', `File URL host must be "localhost" or empty on linux`)
    const pathname = url.pathname
    for (let index = 0; index < pathname.length - 2; index++) {
      if (pathname[index] === '%' && pathname[index + 1] === '2' && (pathname[index + 2] === 'f' || pathname[index + 2] === 'F')) {
        throw nodeError(TypeError, 'ERR_INVALID_FILE_URL_PATH', 'File URL path must not include encoded / characters')
      }
    }
    return decodeURIComponent(pathname)
  }

  function pathToFileURL(path: unknown): URL {
    if (typeof path !== 'string') throw invalidArgType('path', 'string', path, inspect)
    let resolved = resolvePath(path)
    // path.resolve drops a trailing slash that Node keeps.
    if (path.endsWith('/') && !resolved.endsWith('/')) resolved += '/'
    for (const [character, escaped] of PATH_ESCAPES) resolved = resolved.replaceAll(character, escaped)
    const url = new URLCtor('file://')
    url.pathname = resolved
    return url
  }

  /** The WHATWG domain-to-ASCII of `domain` (IDNA, lower case), or '' when it is not a valid host. */
  function domainToASCII(domain: unknown): string {
    try {
      return new URLCtor(`ws://${String(domain)}`).hostname
    } catch {
      return ''
    }
  }

  function format(value: unknown, options?: { auth?: boolean; fragment?: boolean; search?: boolean; unicode?: boolean }): string {
    if (isUrl(value)) {
      // Node's format of a WHATWG URL: its href, optionally without auth, fragment or search.
      const copy = new URLCtor(value.href)
      if (options?.auth === false) {
        copy.username = ''
        copy.password = ''
      }
      if (options?.fragment === false) copy.hash = ''
      if (options?.search === false) copy.search = ''
      return copy.href
    }
    if (typeof value !== 'string' && (typeof value !== 'object' || value === null)) {
      throw invalidArgType('urlObject', ['Object', 'string'], value, inspect)
    }
    return legacyUrl.format(value)
  }

  function parse(url: unknown, parseQueryString?: unknown, slashesDenoteHost?: unknown): object {
    if (typeof url !== 'string') throw invalidArgType('url', 'string', url, inspect)
    return legacyUrl.parse(url, parseQueryString, slashesDenoteHost)
  }

  function urlToHttpOptions(url: URL): Record<string, unknown> {
    const options: Record<string, unknown> = {
      __proto__: null,
      protocol: url.protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      hash: url.hash,
      search: url.search,
      pathname: url.pathname,
      path: `${url.pathname || ''}${url.search || ''}`,
      href: url.href,
    }
    if (url.port !== '') options.port = Number(url.port)
    if (url.username || url.password) options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
    return options
  }

  return {
    Url: legacyUrl.Url,
    parse,
    resolve: legacyUrl.resolve,
    resolveObject: legacyUrl.resolveObject,
    format,
    URL: URLCtor,
    URLSearchParams: globalThis.URLSearchParams,
    domainToASCII,
    pathToFileURL,
    fileURLToPath,
    urlToHttpOptions,
  }
}
