/** Clock and timers of an engine's host side, injectable for tests (both engines use it). */
export interface EngineClock {
  now(): number
  setTimeout(callback: () => void, delayMs: number): unknown
  clearTimeout(handle: unknown): void
}

/** The real clock: `performance.now()` and the global timers. */
export const SYSTEM_CLOCK: EngineClock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}
