/**
 * Strings cross between the VM and the host as C strings, which end at the first NUL: `'a\0b'`
 * would arrive as `'a'`. Text that may hold NUL (console output, files, decoded bytes) crosses as
 * the array of its NUL-free pieces instead, and is joined again on the other side
 * (vm-run.ts `readGuestText` / `newGuestText`). Without this, output after a NUL would silently
 * disappear from what the person reviews.
 */
import type { GuestHostFunctions, GuestOutputLevel } from './guest-api'
import { ArrayIsArray, ArrayPrototypeJoin, StringPrototypeIncludes, StringPrototypeSplit } from './primordials'

/** Text for the host: itself, or its pieces around each NUL. */
export function toHostText(text: string): string | string[] {
  return StringPrototypeIncludes(text, '\0') ? StringPrototypeSplit(text, '\0') : text
}

/** Text from the host: itself, or its pieces joined with NUL. */
export function fromHostText<T extends string | undefined>(value: T | string[]): T | string {
  return ArrayIsArray(value) ? ArrayPrototypeJoin(value, '\0') : value
}

/** The host functions with every text-carrying one made NUL-safe; everything else is the same. */
export function nulSafeHost(host: GuestHostFunctions): GuestHostFunctions {
  const raw = host as unknown as Record<string, (...args: unknown[]) => unknown>
  const safe = Object.create(host) as Record<string, unknown>
  safe.print = (level: GuestOutputLevel, text: string) => raw.print!(level, toHostText(text))
  safe.encodeUtf8 = (text: string) => raw.encodeUtf8!(toHostText(text))
  safe.decodeUtf8 = (bytes: ArrayBuffer) => fromHostText(raw.decodeUtf8!(bytes) as string)
  safe.decodeText = (...args: unknown[]) => fromHostText(raw.decodeText!(...args) as string | undefined)
  safe.readProjectFile = (path: string) => fromHostText(raw.readProjectFile!(path) as string | undefined)
  return safe as unknown as GuestHostFunctions
}
