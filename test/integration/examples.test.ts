// Every example of the gallery runs in the real engine (QuickJS WASM, the example's policy limits)
// and is scanned by the real scanner; each must end, print and be flagged the way its explanation
// says. The explanation's own words are checked too: every rule and CWE it names is found, every
// finding is named, and the end state it promises is the one the run reaches.
import { describe, expect, it } from 'vitest'
import { NetworkBroker, type NetworkQuestion } from '../../src/core/broker'
import { EXAMPLES, NETWORK_EXAMPLE_URL, findExample, type Example } from '../../src/core/examples'
import { parsePolicyText, type Policy } from '../../src/core/policy'
import { isScannable, scanSource, type Finding } from '../../src/core/scan'
import { transpileTypeScript } from '../../src/core/engines/quickjs/transpile'
import { endStateText } from '../../src/ui/format'
import type { VmOutcome } from '../../src/core/engines/quickjs/vm-outcome'
import { runCode, type RunCodeOptions } from '../helpers/quickjs'
import { nodeProjectLines } from '../helpers/node-oracle'

type EndState = 'Finished' | 'Error' | 'Stopped: time limit' | 'Stopped: memory limit' | 'Stopped: output limit'

interface Expected {
  readonly end: EndState
  /** `ruleId CWE-n file:line`, sorted. */
  readonly findings: readonly string[]
  /** Checks on what the run printed and wrote. */
  readonly check?: (run: Awaited<ReturnType<typeof runCode>>) => void
  /** Compare the output with what `node <entry>` prints for the same files. */
  readonly matchesNode?: boolean
}

const EXPECTED: Record<string, Expected> = {
  'network-ask': { end: 'Finished', findings: [] }, // the broker's answers are checked below
  'infinite-loop': {
    end: 'Stopped: time limit',
    findings: [],
    check: ({ lines }) => expect(lines).toEqual(['Waiting for the service to be ready...']),
  },
  'memory-bomb': { end: 'Stopped: memory limit', findings: [], check: ({ lines }) => expect(lines).toEqual(['Caching every response...']) },
  'output-flood': {
    end: 'Stopped: output limit',
    findings: [],
    check: ({ lines }) => {
      expect(lines).toHaveLength(1000)
      expect(lines.at(-1)).toBe('processing item 1000')
    },
  },
  'xss-sink': {
    end: 'Finished',
    findings: ['airlock/xss-sink CWE-79 main.js:3'],
    check: ({ lines }) =>
      expect(lines).toEqual([
        'innerHTML: <p>Hello, <img src=x onerror="alert(document.cookie)">!</p>',
        'textContent: Hello, <img src=x onerror="alert(document.cookie)">!',
      ]),
    matchesNode: true,
  },
  'hardcoded-secret': {
    end: 'Finished',
    findings: ['airlock/hardcoded-secret CWE-798 main.js:2', 'airlock/secrets-in-logs CWE-532 main.js:7'],
    check: ({ lines }) => expect(lines[1]).toMatch(/^STRIPE_SECRET_KEY is not set/),
  },
  'sql-injection': {
    end: 'Finished',
    findings: ['airlock/sql-injection CWE-89 main.js:11'],
    check: ({ lines }) =>
      expect(lines).toEqual([
        "SQL: SELECT * FROM users WHERE name = 'x' OR '1'='1'",
        'SQL: SELECT * FROM users WHERE name = ?',
        `parameters: ["x' OR '1'='1"]`,
      ]),
    matchesNode: true,
  },
  'prototype-pollution': {
    end: 'Finished',
    findings: ['airlock/prototype-pollution CWE-1321 main.js:5'],
    check: ({ lines }) =>
      expect(lines).toEqual([
        'settings.theme: dark',
        'a new, empty object is admin: true',
        'safe merge, settings.theme: dark',
        'a new, empty object is admin: undefined',
      ]),
    matchesNode: true,
  },
  redos: {
    end: 'Finished',
    findings: ['airlock/redos CWE-1333 main.js:2'],
    check: ({ lines }) => {
      const times = lines.slice(0, 4).map((line) => Number(/: ([\d.]+) ms$/.exec(line)?.[1]))
      expect(times.every((time) => Number.isFinite(time))).toBe(true)
      // 24 letters take 2^6 times the work of 18: far more than 4 times as long, however noisy.
      expect(times[3]!).toBeGreaterThan(4 * times[0]!)
      expect(lines[4]).toBe('safe pattern, 100000 letters and a "!": false in under 100 ms: true')
    },
  },
  'command-injection': {
    end: 'Error',
    findings: ['airlock/command-injection CWE-78 main.js:5'],
    check: ({ outcome, lines }) => {
      expect(lines).toEqual([])
      const error = outcome.kind === 'error' ? outcome.error : undefined
      expect(error?.message).toMatch(/^Cannot find module 'child_process'/)
      expect(error?.message).toContain("Node's 'child_process' module is not available")
      expect(error?.location).toMatchObject({ file: 'main.js', line: 2 })
    },
  },
  'weak-password-hash': {
    end: 'Finished',
    findings: ['airlock/weak-password-hash CWE-916 main.js:5'],
    check: ({ lines }) =>
      expect(lines).toEqual([
        'stored hash: 0571749e2ac330a7455809c6b0e7af90',
        'found in the lookup table: sunshine',
        'This sandbox has no crypto.scryptSync; in Node, hashPasswordSafely gives a different hash every time.',
      ]),
  },
  'eval-input': {
    end: 'Finished',
    findings: ['airlock/code-injection CWE-94 main.js:3'],
    check: ({ outcome, lines }) => {
      expect(lines).toEqual(['2 + 3 * 4 = 14', 'result: wrote hacked.txt', 'safely, 2 + 3 * 4 = 14', 'safely refused: SyntaxError: unexpected r'])
      expect(outcome.kind === 'finished' ? outcome.files : undefined).toEqual([
        { path: '/app/hacked.txt', change: 'written', bytes: 17, text: 'any code ran here' },
      ])
    },
    matchesNode: true,
  },
  'timers-order': {
    end: 'Finished',
    findings: [],
    check: ({ lines }) => expect(lines.map((line) => line.slice(0, 2))).toEqual(['1.', '2.', '3.', '4.', '5.', '6.', '7.']),
    matchesNode: true,
  },
  'multi-file': {
    end: 'Finished',
    findings: [],
    check: ({ lines }) => expect(lines).toEqual(['2 x Green tea: €9.00', '1 x Lemon cake: €3.25', 'total: €12.25']),
    matchesNode: true,
  },
  'files-written': {
    end: 'Finished',
    findings: [],
    check: ({ outcome, lines }) => {
      expect(lines).toEqual(['wrote: report.json, summary.txt', '/etc/passwd exists: false', "ENOENT: no such file or directory, open '/etc/passwd'"])
      const files = outcome.kind === 'finished' ? (outcome.files ?? []) : []
      expect(files.map((file) => [file.path, file.change])).toEqual([
        ['/app/out/report.json', 'written'],
        ['/app/out/summary.txt', 'written'],
      ])
      expect(files[1]?.text).toBe('Green tea: 12\nLemon cake: 0\n')
    },
  },
  'intl-formatting': {
    end: 'Finished',
    findings: [],
    check: ({ lines }) => {
      expect(lines).toHaveLength(9)
      expect(lines[4]).toBe('Friday, 15 March 2024 at 09:30')
      expect(lines[5]).toMatch(/^Mar 15, 2024, 6:30.PM$/)
      expect(lines[8]).toBe('1st 2nd 3rd 4th 11th 22nd 103rd')
    },
    matchesNode: true,
  },
}

function policyOf(example: Example): Policy | undefined {
  if (example.policyText === undefined) return undefined
  const parsed = parsePolicyText(example.policyText)
  if (!parsed.ok) throw new Error(`${example.id}: invalid policy ${JSON.stringify(parsed.error)}`)
  return parsed.value
}

/** Runs the example's files as the app would: entry, language, and its policy's limits. */
function runExample(example: Example, files: Readonly<Record<string, string>> = example.files, options: RunCodeOptions = {}) {
  const { [example.entry]: entryCode = '', ...rest } = files
  const policy = policyOf(example)
  return runCode(entryCode, {
    entry: example.entry,
    files: rest,
    language: example.language,
    ...(policy ? { limits: policy.limits } : {}),
    ...options,
  })
}

function endOf(outcome: VmOutcome): string {
  return endStateText(outcome.kind === 'stopped' ? { ...outcome, durationMs: 0 } : { ...outcome, durationMs: 0 })
}

function findingsOf(example: Example): Finding[] {
  return Object.entries(example.files)
    .filter(([path]) => isScannable(path))
    .flatMap(([path, source]) => {
      const scan = scanSource(source, path)
      expect(scan.error, `${example.id}: ${path} parses`).toBeUndefined()
      return scan.findings
    })
}

const describeFinding = (finding: Finding) => `${finding.ruleId} CWE-${finding.cwe} ${finding.file}:${finding.line}`

/** JavaScript Node can run: TypeScript files with their types stripped (as the sandbox does). */
function asNodeProject(example: Example): { files: Record<string, string>; entry: string } {
  const files: Record<string, string> = {}
  for (const [path, source] of Object.entries(example.files)) {
    if (!path.endsWith('.ts')) {
      files[path] = source
      continue
    }
    const result = transpileTypeScript(source, path)
    if (!result.ok) throw new Error(`${path}: ${result.error.message}`)
    files[path.replace(/\.ts$/, '.mjs')] = result.value
  }
  return { files, entry: example.entry.replace(/\.ts$/, '.mjs') }
}

describe('the examples gallery', () => {
  it('has at least 12 examples with unique ids, one-line summaries, an explanation and an entry among their files', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(12)
    expect(new Set(EXAMPLES.map((example) => example.id)).size).toBe(EXAMPLES.length)
    expect(new Set(EXAMPLES.map((example) => example.title)).size).toBe(EXAMPLES.length)
    for (const example of EXAMPLES) {
      expect(example.summary, example.id).not.toMatch(/\n/)
      expect(example.explanation.split('\n\n').length, example.id).toBeGreaterThanOrEqual(2)
      expect(Object.hasOwn(example.files, example.entry), example.id).toBe(true)
      if (example.policyText !== undefined) policyOf(example)
      expect(findExample(example.id)).toBe(example)
    }
    expect(Object.keys(EXPECTED).sort()).toEqual(EXAMPLES.map((example) => example.id).sort())
  })

  it.each(EXAMPLES.map((example) => [example.id, example] as const))('%s: the scanner reports what the explanation names', (_id, example) => {
    const expected = EXPECTED[example.id]!
    const findings = findingsOf(example)
    expect(findings.map(describeFinding).sort()).toEqual([...expected.findings].sort())
    // The explanation names every rule and CWE found, and names none that is not.
    const namedRules = new Set(example.explanation.match(/airlock\/[a-z-]+/g) ?? [])
    expect(namedRules).toEqual(new Set(findings.map((finding) => finding.ruleId)))
    for (const finding of findings) expect(example.explanation).toContain(`CWE-${finding.cwe}`)
  })

  it.each(EXAMPLES.filter((example) => example.id !== 'network-ask').map((example) => [example.id, example] as const))(
    '%s: ends and prints the way the explanation says',
    async (_id, example) => {
      const expected = EXPECTED[example.id]!
      const run = await runExample(example)
      expect(endOf(run.outcome), JSON.stringify(run.outcome)).toBe(expected.end)
      expect(example.explanation).toContain(`"${expected.end}"`)
      expected.check?.(run)
      if (expected.matchesNode) {
        const project = asNodeProject(example)
        expect(run.lines.flatMap((line) => line.split('\n'))).toEqual(nodeProjectLines(project.files, project.entry))
      }
    },
  )
})

describe('network-ask: the policy asks, and nothing leaves unless the person allows it', () => {
  const example = findExample('network-ask')!

  function brokerAnswering(answer: 'deny' | 'allow-once') {
    const questions: NetworkQuestion[] = []
    const sent: string[] = []
    const broker = new NetworkBroker({
      policy: policyOf(example)!,
      ask: async (question) => {
        questions.push(question)
        return answer
      },
      // No real network in tests: a canned answer stands in for api.open-meteo.com.
      fetch: async (url) => {
        sent.push(url)
        return new Response(JSON.stringify({ current: { temperature_2m: 12.5 }, current_units: { temperature_2m: '°C' } }), {
          headers: { 'content-type': 'application/json' },
        })
      },
    })
    return { broker, questions, sent }
  }

  it('Deny: the fetch fails with a TypeError, the run goes on and ends Finished, and nothing is sent', async () => {
    const { broker, questions, sent } = brokerAnswering('deny')
    const run = await runExample(example, example.files, { network: broker })
    expect(questions.map((question) => [question.method, question.url])).toEqual([['GET', NETWORK_EXAMPLE_URL]])
    expect(sent).toEqual([])
    expect(broker.records.map((record) => record.verdict)).toEqual(['denied'])
    expect(run.lines).toEqual([`TypeError: denied: you did not allow GET ${NETWORK_EXAMPLE_URL}`, 'The code went on after the request.'])
    expect(endOf(run.outcome)).toBe('Finished')
    expect(example.explanation).toContain('"Finished"')
    expect(example.explanation).toContain('denied: you did not allow GET')
  })

  it('Allow once: the request is sent once and the Output shows the status and the temperature', async () => {
    const { broker, questions, sent } = brokerAnswering('allow-once')
    const run = await runExample(example, example.files, { network: broker })
    expect(questions).toHaveLength(1)
    expect(sent).toEqual([NETWORK_EXAMPLE_URL])
    expect(run.lines).toEqual(['status 200', 'temperature in Berlin: 12.5 °C', 'The code went on after the request.'])
  })
})

describe('what the explanations suggest trying', () => {
  it('infinite-loop: bounding the loop makes it finish', async () => {
    const example = findExample('infinite-loop')!
    const bounded = example.files['main.js']!.replace('while (!isReady)', 'while (!isReady && attempts < 1000000)')
    expect(bounded).not.toBe(example.files['main.js'])
    const run = await runExample(example, { 'main.js': bounded })
    expect(endOf(run.outcome)).toBe('Finished')
    expect(run.lines.at(-1)).toBe('Ready after 1000000 attempts')
  })

  it('redos: 30 letters run into the time limit (the regex engine is interrupted)', async () => {
    const example = findExample('redos')!
    const longer = example.files['main.js']!.replace('[18, 20, 22, 24]', '[18, 20, 22, 24, 30]')
    expect(longer).not.toBe(example.files['main.js'])
    const run = await runExample(example, { 'main.js': longer }, { limits: { timeMs: 5000 } })
    expect(endOf(run.outcome)).toBe('Stopped: time limit')
  })

  it('multi-file: a missing import names the importing file and line and the files the project has', async () => {
    const example = findExample('multi-file')!
    const broken = { ...example.files, 'main.js': example.files['main.js']!.replace("'./lib/format.js'", "'./lib/missing.js'") }
    const run = await runExample(example, broken)
    expect(endOf(run.outcome)).toBe('Error')
    const message = run.outcome.kind === 'error' ? run.outcome.error.message : ''
    expect(message).toContain("Cannot find module './lib/missing.js' imported from main.js:3")
    expect(message).toContain('lib/format.js')
  })
})

describe('command-injection: the error is Node’s MODULE_NOT_FOUND', () => {
  it('require of child_process throws an error whose code is MODULE_NOT_FOUND', async () => {
    const run = await runCode("try { require('child_process') } catch (error) { console.log(error.code) }")
    expect(run.lines).toEqual(['MODULE_NOT_FOUND'])
    expect(findExample('command-injection')!.explanation).toContain('MODULE_NOT_FOUND')
  })
})
