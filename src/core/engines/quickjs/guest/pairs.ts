/** The `[name, value]` pairs of an iterable init, as Headers and URLSearchParams read them. */
import { TypeErrorCtor, newList, push } from './primordials'

/** Calls `use` with each pair in order; a pair that is not an iterable of two throws `message`. */
export function forEachPair(init: Iterable<Iterable<unknown>>, message: string, use: (name: unknown, value: unknown) => void): void {
  for (const pair of init) {
    const items = newList<unknown>()
    if (typeof pair !== 'object' || pair === null) throw new TypeErrorCtor(message)
    for (const item of pair) push(items, item)
    if (items.length !== 2) throw new TypeErrorCtor(message)
    use(items[0], items[1])
  }
}
