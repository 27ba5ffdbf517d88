/**
 * TypeScript → JavaScript inside the worker, with sucrase. Sucrase strips types in place and keeps
 * every line where it was, so QuickJS's line numbers point at the person's TypeScript. (esbuild-wasm
 * would need an 11 MB WASM download, an async start and source maps to get the same lines back.)
 */
import { transform } from 'sucrase'
import { err, ok, type Result } from '../../common/result'

/** A transpiler syntax error with its 0-based offset in the source. */
export interface TranspileError {
  readonly message: string
  readonly offset: number | undefined
}

/** Strips TypeScript syntax from `source`; ES module syntax is kept for QuickJS. */
export function transpileTypeScript(source: string, filePath: string): Result<string, TranspileError> {
  try {
    const { code } = transform(source, {
      transforms: ['typescript'],
      disableESTransforms: true,
      preserveDynamicImport: true,
      filePath,
    })
    return ok(code)
  } catch (error) {
    const offset = typeof (error as { pos?: unknown }).pos === 'number' ? (error as { pos: number }).pos : undefined
    const message = error instanceof Error ? error.message.replace(/\s*\(\d+:\d+\)$/, '') : String(error)
    return err({ message, offset })
  }
}
