// Entry of the formatting chunk (see lazy.ts): Node's inspect, util.format and console.table.
import type { FormattingChunk } from './lazy'
import { formatArguments } from './format'
import { indentLines, inspect, isError, setPromiseStateReader, stackFrames } from './inspect'
import { renderTable } from './table'

declare const __airlockChunkExports: { value: unknown }

const chunk: FormattingChunk = { formatArguments, indentLines, inspect, isError, stackFrames, renderTable, setPromiseStateReader }
__airlockChunkExports.value = chunk
