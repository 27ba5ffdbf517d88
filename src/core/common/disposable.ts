/** Something that holds a resource and releases it once when disposed. */
export interface Disposable {
  dispose(): void
}

/** Wraps a cleanup function as a Disposable that runs at most once. */
export function toDisposable(cleanup: () => void): Disposable {
  let isDisposed = false
  return {
    dispose() {
      if (isDisposed) return
      isDisposed = true
      cleanup()
    },
  }
}

/**
 * Owns a set of disposables and releases them together, newest first.
 * Adding to a store that is already disposed disposes the item at once (it would leak otherwise).
 */
export class DisposableStore implements Disposable {
  readonly #items: Disposable[] = []
  #isDisposed = false

  get isDisposed(): boolean {
    return this.#isDisposed
  }

  /** Takes ownership of `item` and returns it. */
  add<T extends Disposable>(item: T): T {
    if (this.#isDisposed) {
      item.dispose()
    } else {
      this.#items.push(item)
    }
    return item
  }

  /** Disposes every item; the first error is rethrown after all items had their turn. */
  dispose(): void {
    if (this.#isDisposed) return
    this.#isDisposed = true
    let firstError: unknown
    let hasError = false
    for (const item of this.#items.splice(0).reverse()) {
      try {
        item.dispose()
      } catch (error) {
        if (!hasError) {
          firstError = error
          hasError = true
        }
      }
    }
    if (hasError) throw firstError
  }
}
