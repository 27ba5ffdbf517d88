// What the `url` npm package gets for `require('qs')` (see scripts/guest-runtime.mjs): Node's own
// legacy url module parses and stringifies queries with querystring, not with qs's nested syntax.
import { createQuerystring } from './node-querystring'

const querystring = createQuerystring() as { parse: (text: string) => object; stringify: (value: unknown) => string }

export function parse(text: string): object {
  return querystring.parse(text)
}

export function stringify(value: unknown): string {
  return querystring.stringify(value)
}
