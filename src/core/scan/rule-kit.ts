/** What both rule packs (rules-injection.ts, rules-config.ts) build their ESLint rules with. */
import type { Rule } from 'eslint'
import type { AnyNode } from './analysis'

export type Listener = (node: AnyNode) => void

export function rule(create: (context: Rule.RuleContext) => Record<string, Listener>): Rule.RuleModule {
  // schema: false: the rules take no options, and ESLint would otherwise compile an empty options
  // schema with Ajv, which uses `new Function` (the page's CSP forbids eval, also in workers).
  return { meta: { type: 'problem', schema: false, hasSuggestions: true }, create: create as unknown as Rule.RuleModule['create'] }
}

export function report(context: Rule.RuleContext, node: AnyNode, message: string): void {
  context.report({ node: node as never, message })
}

/** Property `key` of an AST node, whatever its type. */
export function field<T = unknown>(node: AnyNode, key: string): T | undefined {
  return (node as Record<string, unknown>)[key] as T | undefined
}
