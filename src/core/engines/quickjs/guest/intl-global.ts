/**
 * The `Intl` that the FormatJS code in the intl chunks sees (esbuild `inject`, see
 * scripts/guest-runtime.mjs): every free reference to `Intl` in those bundles reads this object,
 * never the VM's global, which is a lazy getter before first use and may be replaced by the person's
 * code afterwards. It holds only what the libraries call each other through (getCanonicalLocales and
 * the constructors, filled in by intl.ts), never a lazy getter, so no library loads a chunk by
 * looking at it.
 */
declare const __airlockChunkExports: { value: unknown; intl?: Record<string, unknown> }

export const Intl: Record<string, unknown> = __airlockChunkExports.intl ?? {}
