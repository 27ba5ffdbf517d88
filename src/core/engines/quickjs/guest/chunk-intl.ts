// Entry of the intl chunk (see lazy.ts): Intl built from FormatJS, plus the locale-sensitive
// methods of Number, BigInt, Date and String.
import type { IntlChunk } from './lazy'
import { setupIntl } from './intl'

declare const __airlockChunkExports: { value: unknown }

const chunk: IntlChunk = { setupIntl }
__airlockChunkExports.value = chunk
