// Made by scripts/guest-runtime.mjs for the intl chunk: which locales have a data chunk, per service.
declare module 'airlock:intl-data-locales' {
  export type IntlService = 'number' | 'plural' | 'datetime' | 'relative' | 'list' | 'display'
  /** Per service, the locales with data as `|en|en-GB|de|`. */
  export const INTL_DATA_LOCALES: Readonly<Record<IntlService, string>>
}
