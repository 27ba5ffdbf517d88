// Some of the scanner's dependencies (typescript-estree and the `debug` package it uses) read Node's
// `process` when they load, and a worker has none. This answers the few things they ask, and says
// `browser: true` so TypeScript does not take its Node code paths. Imported before the scanner.
const scope = globalThis as { process?: unknown }
scope.process ??= {
  env: {},
  argv: [],
  browser: true,
  platform: 'browser',
  versions: {},
  cwd: () => '/',
  nextTick: (callback: (...args: unknown[]) => void, ...args: unknown[]) => queueMicrotask(() => callback(...args)),
  emitWarning: () => undefined,
  on: () => undefined,
}

export {}
