// Made by scripts/guest-runtime.mjs when it bundles the runtime: every export of primordials.ts,
// in the order the chunks read them.
declare module 'airlock:primordial-values' {
  export const PRIMORDIAL_VALUES: readonly unknown[]
}
