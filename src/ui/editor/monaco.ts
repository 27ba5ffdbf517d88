// The slice of Monaco Airlock uses: the editor API plus JavaScript and TypeScript support.
import './monaco-environment'
import * as monaco from 'monaco-editor/editor/editor.api.js'
// Editor features the scanner's markers need: hovers show a finding's message, Ctrl+. offers its
// quick fix, F8 walks from one finding to the next. (editor.api.js alone is the bare core.)
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution.js'
import 'monaco-editor/editor/contrib/codeAction/browser/codeActionContributions.js'
import 'monaco-editor/editor/contrib/gotoError/browser/gotoError.js'
import 'monaco-editor/languages/definitions/javascript/register.js'
import 'monaco-editor/languages/definitions/typescript/register.js'
import * as typescript from 'monaco-editor/languages/features/typescript/register.js'

// The sandbox has ES2023 built-ins plus console and timers, not the DOM: tell the editor so it
// does not suggest `document` or `localStorage`.
const SANDBOX_GLOBALS = `
interface Console {
  log(...data: any[]): void; info(...data: any[]): void; warn(...data: any[]): void; error(...data: any[]): void;
  debug(...data: any[]): void; trace(...data: any[]): void; dir(item?: any, options?: any): void; dirxml(...data: any[]): void;
  table(tabularData?: any, properties?: string[]): void; group(...data: any[]): void; groupCollapsed(...data: any[]): void;
  groupEnd(): void; time(label?: string): void; timeLog(label?: string, ...data: any[]): void; timeEnd(label?: string): void;
  count(label?: string): void; countReset(label?: string): void; assert(condition?: boolean, ...data: any[]): void;
}
declare var console: Console;
declare function setTimeout(handler: (...args: any[]) => void, timeout?: number, ...args: any[]): number;
declare function setInterval(handler: (...args: any[]) => void, timeout?: number, ...args: any[]): number;
declare function clearTimeout(id: number | undefined): void;
declare function clearInterval(id: number | undefined): void;
declare function queueMicrotask(callback: () => void): void;
`

for (const defaults of [typescript.typescriptDefaults, typescript.javascriptDefaults]) {
  defaults.setCompilerOptions({
    target: typescript.ScriptTarget.ESNext,
    module: typescript.ModuleKind.ESNext,
    lib: ['esnext'],
    allowNonTsExtensions: true,
    strict: true,
  })
  defaults.addExtraLib(SANDBOX_GLOBALS, 'ts:airlock-sandbox-globals.d.ts')
}

export { monaco }
