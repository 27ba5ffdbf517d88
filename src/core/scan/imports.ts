/**
 * What the code imports: Node built-ins, relative files and npm packages, from `import`, `export
 * ... from`, `import()` and `require()` with a literal specifier. Package names that are not among
 * npm's high-impact packages but sit within a typo or two of one are flagged: assistants invent
 * plausible names, and attackers register them (typo-squatting, "slopsquatting").
 */
import builtinModules from 'builtin-modules'
import { distance } from 'fastest-levenshtein'
import { npmHighImpact } from 'npm-high-impact'

export type ImportKind = 'builtin' | 'relative' | 'package'

export interface ImportInfo {
  readonly specifier: string
  readonly kind: ImportKind
  /** For packages: the name on npm (`@scope/name` or `name`, without a subpath). */
  readonly packageName?: string
  readonly line: number
  readonly column: number
  /** For packages: among npm's most depended-on and downloaded packages. */
  readonly isHighImpact?: boolean
  /** For packages that are not: a high-impact package whose name is one or two edits away. */
  readonly resembles?: string
}

const BUILTINS = new Set<string>(builtinModules)
let highImpact: Set<string> | undefined
let byLength: Map<number, string[]> | undefined

function highImpactIndex(): { names: Set<string>; byLength: Map<number, string[]> } {
  if (!highImpact || !byLength) {
    highImpact = new Set(npmHighImpact)
    byLength = new Map()
    for (const name of npmHighImpact) {
      const bucket = byLength.get(name.length)
      if (bucket) bucket.push(name)
      else byLength.set(name.length, [name])
    }
  }
  return { names: highImpact, byLength }
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!
}

export function classifySpecifier(specifier: string): ImportKind {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return 'relative'
  if (specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(packageNameOf(specifier))) return 'builtin'
  return 'package'
}

/**
 * How a package name compares with npm's high-impact list. Short names are only compared at one
 * edit (two edits turn most three-letter names into another), longer ones at two.
 */
export function checkPackageName(name: string): { readonly isHighImpact: boolean; readonly resembles?: string } {
  const index = highImpactIndex()
  if (index.names.has(name)) return { isHighImpact: true }
  if (name.length < 4) return { isHighImpact: false }
  const maxEdits = name.length >= 8 ? 2 : 1
  let best: { name: string; edits: number } | undefined
  for (let length = name.length - maxEdits; length <= name.length + maxEdits; length++) {
    for (const candidate of index.byLength.get(length) ?? []) {
      // Swapped neighbours (`axois`) are the commonest typo; Levenshtein counts them as two edits.
      const edits = isAdjacentSwap(name, candidate) ? 1 : distance(name, candidate)
      if (edits <= maxEdits && (!best || edits < best.edits)) best = { name: candidate, edits }
    }
  }
  return best ? { isHighImpact: false, resembles: best.name } : { isHighImpact: false }
}

function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let first = -1
  for (let index = 0; index < a.length; index++) {
    if (a[index] === b[index]) continue
    if (first !== -1) return index === first + 1 && a[first] === b[index] && a[index] === b[first] && a.slice(index + 1) === b.slice(index + 1)
    first = index
  }
  return false
}

interface NodeLike {
  readonly type: string
  readonly loc?: { readonly start: { readonly line: number; readonly column: number } }
  readonly [key: string]: unknown
}

function isNode(value: unknown): value is NodeLike {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
}

function literalSpecifier(node: unknown): string | undefined {
  if (!isNode(node)) return undefined
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value
  if (node.type === 'TemplateLiteral' && Array.isArray(node.expressions) && node.expressions.length === 0) {
    const quasi = (node.quasis as { value: { cooked: string } }[])[0]
    return quasi?.value.cooked
  }
  return undefined
}

/** Every import with a literal specifier in a program's AST, in source order. */
export function collectImports(program: unknown): ImportInfo[] {
  const found: ImportInfo[] = []
  const add = (specifier: string | undefined, at: NodeLike) => {
    if (specifier === undefined || specifier === '') return
    // `import type` is erased at compile time and resolves to @types packages: nothing installed runs.
    if (at.importKind === 'type' || at.exportKind === 'type') return
    const kind = classifySpecifier(specifier)
    const position = { line: at.loc?.start.line ?? 1, column: (at.loc?.start.column ?? 0) + 1 }
    if (kind !== 'package') {
      found.push({ specifier, kind, ...position })
      return
    }
    const packageName = packageNameOf(specifier)
    found.push({ specifier, kind, packageName, ...position, ...checkPackageName(packageName) })
  }
  const stack: unknown[] = [program]
  while (stack.length > 0) {
    const node = stack.pop()
    if (!isNode(node)) continue
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportNamedDeclaration':
      case 'ExportAllDeclaration':
        add(literalSpecifier(node.source), node)
        break
      case 'ImportExpression':
        add(literalSpecifier(node.source), node)
        break
      case 'CallExpression': {
        const callee = node.callee as NodeLike | undefined
        if (callee?.type === 'Identifier' && callee.name === 'require') add(literalSpecifier((node.arguments as unknown[])[0]), node)
        break
      }
      case 'TSImportEqualsDeclaration': {
        const reference = node.moduleReference as NodeLike | undefined
        if (reference?.type === 'TSExternalModuleReference') add(literalSpecifier(reference.expression), node)
        break
      }
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'parent' || key === 'loc' || key === 'range' || key === 'tokens' || key === 'comments') continue
      if (Array.isArray(value)) for (let index = value.length - 1; index >= 0; index--) stack.push(value[index])
      else if (isNode(value)) stack.push(value)
    }
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column)
}
