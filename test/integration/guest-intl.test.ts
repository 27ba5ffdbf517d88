// Intl inside real QuickJS (FormatJS chunks loaded on first use), compared with Node 20 running the
// same program: Node's ICU is the oracle, byte for byte.
import { beforeAll, describe, expect, it } from 'vitest'
import { runCode } from '../helpers/quickjs'
import { nodeLines } from '../helpers/node-oracle'

const CASES: Record<string, string> = {
  'NumberFormat: decimals, grouping, rounding in five locales': `
    for (const locale of ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP']) {
      const nf = new Intl.NumberFormat(locale)
      console.log(locale, [0, -0, 1, -1.5, 1234.5678, 1e21, 0.000001234, 123456789.987, NaN, Infinity, -Infinity].map((n) => nf.format(n)))
      console.log(new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(2.5), new Intl.NumberFormat(locale, { minimumIntegerDigits: 3 }).format(7))
      console.log(nf.format(12345678901234567890n), nf.format('1234.5'), nf.resolvedOptions().locale, nf.resolvedOptions().numberingSystem)
    }
  `,
  'NumberFormat: currency, percent, unit, compact, signs and formatToParts': `
    const n = [-1234.567, 0, 0.5, 99.995, 1e6]
    for (const locale of ['en-US', 'de-DE', 'fr-FR', 'ja-JP', 'en-GB']) {
      for (const currency of ['USD', 'EUR', 'JPY', 'GBP']) console.log(locale, currency, n.map((x) => new Intl.NumberFormat(locale, { style: 'currency', currency }).format(x)).join(' | '))
      console.log(new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', currencyDisplay: 'name' }).format(2), new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', currencyDisplay: 'code' }).format(-3.5))
      console.log(new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(0.12345), new Intl.NumberFormat(locale, { notation: 'compact' }).format(15300), new Intl.NumberFormat(locale, { notation: 'compact', compactDisplay: 'long' }).format(2500000))
      console.log(new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilobyte' }).format(512), new Intl.NumberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'long' }).format(3), new Intl.NumberFormat(locale, { style: 'unit', unit: 'celsius', unitDisplay: 'narrow' }).format(21.5))
      console.log(new Intl.NumberFormat(locale, { notation: 'scientific' }).format(123456), new Intl.NumberFormat(locale, { notation: 'engineering' }).format(0.00042), new Intl.NumberFormat(locale, { signDisplay: 'always' }).format(5), new Intl.NumberFormat(locale, { signDisplay: 'exceptZero' }).format(0))
    }
    console.log(JSON.stringify(new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).formatToParts(-1234.5)))
    console.log(new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', currencySign: 'accounting' }).format(-5), new Intl.NumberFormat('en-US', { useGrouping: false }).format(123456))
    console.log(new Intl.NumberFormat('en-IN').format(987654321.5), new Intl.NumberFormat('de-DE').resolvedOptions().locale)
  `,
  'toLocaleString of numbers, bigints and arrays': `
    console.log((1234567.891).toLocaleString(), (1234567.891).toLocaleString('de-DE'), (0.256).toLocaleString('en-US', { style: 'percent' }))
    console.log((1e9).toLocaleString('fr-FR'), (-42.5).toLocaleString('ja-JP', { style: 'currency', currency: 'JPY' }), 12345678901234567890n.toLocaleString('en-US'))
    console.log([1234.5, 'x', null, undefined, 9876543].toLocaleString(), [1234.5, 0.5].toLocaleString('de-DE'), [1, 2].toLocaleString('en-US', { style: 'currency', currency: 'EUR' }))
    console.log(Number.prototype.toLocaleString.length, Number.prototype.toLocaleString.name, String.prototype.localeCompare.length, Date.prototype.toLocaleDateString.name)
    try { Number.prototype.toLocaleString.call('1') } catch (e) { console.log(e instanceof TypeError) }
  `,
  'DateTimeFormat: styles and fields in five locales, UTC': `
    const dates = [new Date(Date.UTC(2024, 0, 5, 0, 7, 9)), new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)), new Date(Date.UTC(2023, 6, 4, 13, 5))]
    for (const locale of ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP']) {
      for (const dateStyle of ['full', 'long', 'medium', 'short']) {
        console.log(locale, dateStyle, dates.map((d) => new Intl.DateTimeFormat(locale, { dateStyle, timeStyle: dateStyle === 'full' ? 'short' : dateStyle, timeZone: 'UTC' }).format(d)).join(' | '))
        console.log(locale, dateStyle, new Intl.DateTimeFormat(locale, { dateStyle, timeZone: 'UTC' }).format(dates[0]), '|', new Intl.DateTimeFormat(locale, { timeStyle: dateStyle === 'full' ? 'medium' : dateStyle, timeZone: 'UTC' }).format(dates[2]))
      }
      console.log(locale, new Intl.DateTimeFormat(locale, { timeZone: 'UTC' }).format(dates[1]), new Intl.DateTimeFormat(locale, { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' }).format(dates[2]))
      console.log(locale, new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'long' }).format(dates[2]), new Intl.DateTimeFormat(locale, { timeZone: 'UTC', hour: 'numeric', minute: '2-digit' }).format(dates[2]), new Intl.DateTimeFormat(locale, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(dates[0]))
    }
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'medium' })
    console.log(JSON.stringify(fmt.formatToParts(dates[2])))
    const options = fmt.resolvedOptions()
    console.log(options.locale, options.calendar, options.numberingSystem, options.timeZone, options.dateStyle, options.timeStyle)
  `,
  'Date toLocale*String with and without a time zone': `
    const d = new Date(Date.UTC(2024, 2, 9, 15, 4, 5))
    console.log(d.toLocaleString(), '|', d.toLocaleDateString(), '|', d.toLocaleTimeString())
    for (const locale of ['en-US', 'en-GB', 'de-DE', 'fr-FR']) {
      console.log(locale, d.toLocaleString(locale), '|', d.toLocaleDateString(locale), '|', d.toLocaleTimeString(locale), '|', d.toLocaleDateString(locale, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }))
    }
    console.log(d.toLocaleDateString('ja-JP'), d.toLocaleTimeString('ja-JP'), d.toLocaleDateString('ja-JP', { dateStyle: 'long' }))
    console.log(d.toLocaleString('en-US', { timeZone: 'America/New_York' }), '|', d.toLocaleString('en-GB', { timeZone: 'Europe/Berlin', timeZoneName: 'short' }), '|', d.toLocaleTimeString('ja-JP', { timeZone: 'Asia/Tokyo' }))
    console.log(d.toLocaleString('en-US', { timeZone: 'Asia/Kolkata', dateStyle: 'medium', timeStyle: 'long' }), '|', new Date(NaN).toLocaleString(), '|', d.toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit' }))
    try { d.toLocaleDateString('en-US', { timeStyle: 'short' }) } catch (e) { console.log(e.name) }
  `,
  'PluralRules, RelativeTimeFormat and ListFormat': `
    const ordinal = new Intl.PluralRules('en-US', { type: 'ordinal' })
    console.log([0, 1, 2, 3, 4, 11, 12, 13, 21, 102, 1.5].map((n) => ordinal.select(n)).join(' '), new Intl.PluralRules('en-US').select(1), new Intl.PluralRules('en-US').select(1.0), new Intl.PluralRules('en-US', { minimumFractionDigits: 1 }).select(1))
    console.log(['fr', 'de', 'ja', 'ar', 'ru', 'pl'].map((l) => l + ':' + [0, 1, 2, 5, 11, 22, 101, 1.5].map((n) => new Intl.PluralRules(l).select(n)).join(',')).join(' '))
    console.log(new Intl.PluralRules('en').resolvedOptions().pluralCategories, new Intl.PluralRules('ar').resolvedOptions().pluralCategories)
    for (const locale of ['en', 'en-GB', 'de', 'fr', 'ja']) {
      const auto = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
      const always = new Intl.RelativeTimeFormat(locale, { style: 'short' })
      console.log(locale, auto.format(-1, 'day'), '|', auto.format(1, 'week'), '|', auto.format(0, 'year'), '|', auto.format(-3, 'hours'), '|', always.format(5, 'minute'), '|', always.format(-2, 'month'), '|', always.format(1.5, 'second'))
      console.log(locale, new Intl.ListFormat(locale).format(['a', 'b', 'c']), '|', new Intl.ListFormat(locale, { type: 'disjunction' }).format(['x', 'y']), '|', new Intl.ListFormat(locale, { style: 'narrow', type: 'unit' }).format(['1', '2', '3']), '|', new Intl.ListFormat(locale).format(['solo']))
    }
    console.log(JSON.stringify(new Intl.RelativeTimeFormat('en').formatToParts(100, 'day')), JSON.stringify(new Intl.ListFormat('en').formatToParts(['a', 'b'])))
  `,
  'Collator and localeCompare on Latin text': `
    const words = ['résumé', 'resume', 'Resume', 'résume', 'apple', 'Äpfel', 'zebra', 'Zoë', 'zoe', 'éclair', 'eclair', 'Ångström', 'angstrom', 'straße', 'strasse', 'Øre', 'ore', 'co-op', 'coop', 'co op', 'a_b', 'a1', 'a10', 'a2', '10', '9', '_x', '#tag', '@me', '$5', 'ABC', 'abc', 'Abc', 'naïve', 'naive', 'œuvre', 'oeuvre', 'Łódź', 'lodz']
    console.log([...words].sort((a, b) => a.localeCompare(b)).join(' '))
    for (const sensitivity of ['base', 'accent', 'case', 'variant']) {
      const collator = new Intl.Collator('en', { sensitivity })
      console.log(sensitivity, [...words].sort(collator.compare).join(' '), collator.compare('a', 'á'), collator.compare('a', 'A'), collator.compare('résumé', 'resume'))
    }
    const numeric = new Intl.Collator('en', { numeric: true })
    console.log(['item20', 'item3', 'Item1', 'item100', 'item003', 'v1.10', 'v1.9'].sort(numeric.compare).join(' '))
    console.log(['b', 'B', 'a', 'A'].sort(new Intl.Collator('en', { caseFirst: 'upper' }).compare).join(' '), ['b', 'B', 'a', 'A'].sort(new Intl.Collator('de').compare).join(' '))
    console.log('a'.localeCompare('b'), 'b'.localeCompare('a'), 'a'.localeCompare('a'), 'ä'.localeCompare('a', 'de', { sensitivity: 'base' }), new Intl.Collator('en-US').resolvedOptions().locale)
  `,
  'Intl object, getCanonicalLocales, Locale, supportedLocalesOf and errors': `
    console.log(typeof Intl, Object.prototype.toString.call(Intl), Object.keys(Intl).length)
    console.log(Intl.getCanonicalLocales(['EN-us', 'de-de', 'ja-jp', 'en-US']), Intl.getCanonicalLocales('zh-hant-tw'))
    const locale = new Intl.Locale('en-Latn-US', { calendar: 'gregory', hourCycle: 'h12' })
    console.log(locale.toString(), locale.language, locale.region, locale.baseName, new Intl.Locale('ja').maximize().toString())
    console.log(Intl.NumberFormat.supportedLocalesOf(['de-DE', 'en-GB', 'fr']), new Intl.NumberFormat('de-DE') instanceof Intl.NumberFormat, Intl.NumberFormat.name, Intl.DateTimeFormat.length)
    for (const make of [() => new Intl.NumberFormat('en', { style: 'currency' }), () => new Intl.NumberFormat('not a locale!'), () => new Intl.DateTimeFormat('en', { timeZone: 'Mars/Base' }), () => new Intl.PluralRules('en', { type: 'nope' })]) {
      try { make(); console.log('no error') } catch (e) { console.log(e.name) }
    }
    console.log(new Intl.NumberFormat().resolvedOptions().locale, new Intl.DateTimeFormat().resolvedOptions().timeZone, Intl.DateTimeFormat().format(new Date(0)))
  `,
}

describe('Intl in the sandbox prints what Node 20 prints', () => {
  beforeAll(() => {
    // The sandbox runs as UTC, like the compatibility corpus's recordings (TZ=UTC).
    process.env.TZ = 'UTC'
  })

  it.each(Object.entries(CASES))('%s', async (_name, code) => {
    const run = await runCode(code)
    expect(run.outcome).toEqual({ kind: 'finished' })
    expect(run.lines.join('\n').split('\n')).toEqual(nodeLines(code))
  })
})

describe('Intl costs nothing until used', () => {
  it('a run that never touches Intl loads no intl chunk, and Intl appears on first read', async () => {
    const untouched = await runCode(`console.log(typeof Object.getOwnPropertyDescriptor(globalThis, 'Intl').get)`)
    expect(untouched.lines).toEqual(['function'])
    const used = await runCode(`Intl.NumberFormat; console.log(typeof Object.getOwnPropertyDescriptor(globalThis, 'Intl').value, String(Intl))`)
    expect(used.lines).toEqual(['object [object Intl]'])
  })

  it('the person may replace Intl before first use, and toLocaleString still uses the real one', async () => {
    const run = await runCode(`globalThis.Intl = { fake: true }; console.log(Intl.fake, (1234.5).toLocaleString('de-DE'))`)
    expect(run.lines).toEqual(['true 1.234,5'])
  })
})
