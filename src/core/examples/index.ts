/**
 * The examples gallery: built-in code that teaches one thing each, with the words that explain it.
 * Plain data (no DOM); `test/integration/examples.test.ts` runs every example and checks that it
 * ends and is scanned the way its explanation says.
 */
import type { Example } from './example'
import { INFINITE_LOOP, MEMORY_BOMB, OUTPUT_FLOOD } from './limits'
import { FILES_WRITTEN, INTL_FORMATTING, MULTI_FILE, NETWORK_ASK, TIMERS_ORDER } from './runtime'
import { COMMAND_INJECTION, EVAL_OF_INPUT, HARDCODED_SECRET, PROTOTYPE_POLLUTION, REDOS, SQL_INJECTION, WEAK_PASSWORD_HASH, XSS_SINK } from './security'

export type { Example } from './example'
export { NETWORK_EXAMPLE_URL } from './runtime'

/** Every example, in the order the gallery lists them. */
export const EXAMPLES: readonly Example[] = [
  NETWORK_ASK,
  INFINITE_LOOP,
  MEMORY_BOMB,
  OUTPUT_FLOOD,
  XSS_SINK,
  HARDCODED_SECRET,
  SQL_INJECTION,
  PROTOTYPE_POLLUTION,
  REDOS,
  COMMAND_INJECTION,
  WEAK_PASSWORD_HASH,
  EVAL_OF_INPUT,
  TIMERS_ORDER,
  MULTI_FILE,
  FILES_WRITTEN,
  INTL_FORMATTING,
]

/** The example with this id, if there is one. */
export function findExample(id: string): Example | undefined {
  return EXAMPLES.find((example) => example.id === id)
}
