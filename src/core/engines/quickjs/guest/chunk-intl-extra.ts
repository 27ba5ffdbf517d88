// Entry of the intl-extra chunk (see lazy.ts): the rarely used and large Intl.DisplayNames and
// Intl.Segmenter, loaded on the first read of one of them.
import type { IntlExtraChunk } from './lazy'
import { DisplayNames } from '@formatjs/intl-displaynames'
import { Segmenter } from '@formatjs/intl-segmenter'

declare const __airlockChunkExports: { value: unknown }

const chunk: IntlExtraChunk = { DisplayNames, Segmenter }
__airlockChunkExports.value = chunk
