/**
 * Small, intra-file data-flow helpers shared by the rules: is this expression a constant, does it
 * carry input an attacker controls (a "source": request query/params/body/headers, `location`,
 * `URLSearchParams`, `process.argv`, `event.data`), and was a value checked before use.
 *
 * Deliberately simple: values are followed through variables (declarations and assignments),
 * destructuring, string building and calls that pass their input through, a few levels deep. A
 * call to something named like a sanitizer (`escape`, `sanitize`, `encodeURIComponent`, `Number`)
 * ends the flow. No inter-procedural analysis: a value returned by another function is unknown.
 */
import type { Rule, Scope } from 'eslint'
import type { Node } from 'estree'

/** Any AST node, including JSX and TypeScript nodes ESTree's types do not list. */
export type AnyNode = Node | { readonly type: string; readonly [key: string]: unknown }

const MAX_DEPTH = 8

/** Request properties that carry what the client sent. */
const REQUEST_PARTS = new Set(['query', 'params', 'body', 'headers', 'cookies', 'url', 'originalUrl', 'path', 'files', 'file'])
const REQUEST_NAMES = new Set(['req', 'request'])
/** Parts of `location` (and `document.URL`, `document.referrer`) a link can set. */
const LOCATION_PARTS = new Set(['search', 'hash', 'href', 'pathname'])
const EVENT_NAMES = new Set(['event', 'e', 'evt', 'ev', 'msg', 'message'])

/** Calls whose result no longer carries the input's danger (for most sinks). */
const SANITIZER = /^(?:escape\w*|\w*[sS]anitiz\w*|\w*[eE]scape\w*|encodeURI(?:Component)?|encode\w*|purify|Number|parseInt|parseFloat|Boolean|isNaN|isFinite|validate\w*|\w*[vV]alidat\w*|clean\w*|basename|textContent|htmlspecialchars|xss|filterXSS)$/

function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
}

function child(node: AnyNode, key: string): AnyNode | undefined {
  const value = (node as Record<string, unknown>)[key]
  return isNode(value) ? value : undefined
}

function children(node: AnyNode, key: string): AnyNode[] {
  const value = (node as Record<string, unknown>)[key]
  return Array.isArray(value) ? value.filter(isNode) : []
}

/** `a.b.c` → `['a', 'b', 'c']` for identifiers and constant keys; undefined for anything else. */
export function memberPath(node: AnyNode | undefined): string[] | undefined {
  if (!node) return undefined
  if (node.type === 'Identifier') return [String((node as { name: string }).name)]
  if (node.type === 'ThisExpression') return ['this']
  if (node.type === 'MemberExpression') {
    const object = memberPath(child(node, 'object'))
    const name = propertyName(node)
    if (!object || name === undefined) return undefined
    return [...object, name]
  }
  if (node.type === 'TSNonNullExpression' || node.type === 'TSAsExpression' || node.type === 'ChainExpression') {
    return memberPath(child(node, 'expression'))
  }
  return undefined
}

/** The property name of a member expression (`a.b`, `a['b']`), if constant. */
export function propertyName(node: AnyNode): string | undefined {
  const property = child(node, 'property')
  if (!property) return undefined
  if (!(node as { computed?: boolean }).computed && property.type === 'Identifier') return String((property as { name: string }).name)
  if (property.type === 'Literal' && typeof (property as { value: unknown }).value === 'string') return (property as { value: string }).value
  return undefined
}

/** The name a call calls: `exec` for `exec(x)`, `cp.exec(x)` and `require('cp').exec(x)`. */
export function calleeName(call: AnyNode): string | undefined {
  const callee = child(call, 'callee')
  if (!callee) return undefined
  if (callee.type === 'Identifier') return String((callee as { name: string }).name)
  if (callee.type === 'MemberExpression') return propertyName(callee)
  return undefined
}

/** The object a method is called on, as a path (`['db']` for `db.query(...)`). */
export function calleeObjectPath(call: AnyNode): string[] | undefined {
  const callee = child(call, 'callee')
  return callee?.type === 'MemberExpression' ? memberPath(child(callee, 'object')) : undefined
}

export function callArguments(call: AnyNode): AnyNode[] {
  return children(call, 'arguments')
}

function unwrap(node: AnyNode): AnyNode {
  let current = node
  for (;;) {
    if (['TSAsExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'TSSatisfiesExpression', 'ChainExpression', 'ParenthesizedExpression'].includes(current.type)) {
      current = child(current, 'expression') ?? current
      if (current === node) return current
      continue
    }
    if (current.type === 'AwaitExpression') {
      current = child(current, 'argument') ?? current
      continue
    }
    return current
  }
}

/** The variable `identifier` refers to, looked up from the scope where it appears. */
export function resolveVariable(context: Rule.RuleContext, identifier: AnyNode): Scope.Variable | undefined {
  const name = String((identifier as { name?: unknown }).name)
  let scope: Scope.Scope | null = context.sourceCode.getScope(identifier as Node)
  while (scope) {
    const variable = scope.set.get(name)
    if (variable) return variable
    scope = scope.upper
  }
  return undefined
}

/** Every expression assigned to `variable`: its initializer (through destructuring) and later writes. */
function valuesOf(variable: Scope.Variable): AnyNode[] {
  const values: AnyNode[] = []
  for (const definition of variable.defs) {
    if (definition.type === 'Variable') {
      const init = child(definition.node as AnyNode, 'init')
      if (init) values.push(init)
    }
  }
  for (const reference of variable.references) {
    if (reference.isWrite() && reference.writeExpr && !reference.init) values.push(reference.writeExpr as AnyNode)
  }
  return values
}

/** Whether the value of `node` is fixed by the code itself (no input, no unknown variable). */
export function isConstant(context: Rule.RuleContext, node: AnyNode | undefined, depth = 0): boolean {
  if (!node || depth > MAX_DEPTH) return false
  const value = unwrap(node)
  switch (value.type) {
    case 'Literal':
      return true
    case 'TemplateLiteral':
      return children(value, 'expressions').every((expression) => isConstant(context, expression, depth + 1))
    case 'BinaryExpression':
    case 'LogicalExpression':
      return isConstant(context, child(value, 'left'), depth + 1) && isConstant(context, child(value, 'right'), depth + 1)
    case 'ConditionalExpression':
      return isConstant(context, child(value, 'consequent'), depth + 1) && isConstant(context, child(value, 'alternate'), depth + 1)
    case 'Identifier': {
      if ((value as { name: string }).name === 'undefined') return true
      const variable = resolveVariable(context, value)
      if (!variable || variable.defs.length === 0) return false
      const values = valuesOf(variable)
      if (variable.defs.some((definition) => definition.type !== 'Variable')) return false
      return values.length > 0 && values.every((expression) => isConstant(context, expression, depth + 1))
    }
    default:
      return false
  }
}

/** Whether `path` names attacker-controlled input by itself (a source). */
function isSourcePath(path: readonly string[]): boolean {
  const [root, second, third] = path
  if (root === undefined) return false
  if (REQUEST_NAMES.has(root) && second !== undefined && REQUEST_PARTS.has(second)) return true
  if (root === 'ctx' && ((second === 'request' && third !== undefined && REQUEST_PARTS.has(third)) || (second !== undefined && ['query', 'params', 'body', 'headers'].includes(second)))) return true
  if (root === 'location' && second !== undefined && LOCATION_PARTS.has(second)) return true
  if ((root === 'window' || root === 'document') && second === 'location' && (third === undefined || LOCATION_PARTS.has(third))) return true
  if (root === 'document' && (second === 'URL' || second === 'referrer' || second === 'documentURI')) return true
  if (root === 'process' && second === 'argv') return true
  if (EVENT_NAMES.has(root) && second === 'data') return true
  return false
}

/**
 * Whether `node` carries attacker-controlled input, followed through variables, string building and
 * pass-through calls. `seen` guards against cycles (`a = a + x`).
 */
export interface TaintOptions {
  /**
   * `process.argv` is what the person running a command line tool typed: a source for shell
   * commands built from it, but not for the files or URLs that person asks the tool to open.
   */
  readonly trustCommandLine?: boolean
}

export function isTainted(
  context: Rule.RuleContext,
  node: AnyNode | undefined,
  options: TaintOptions = {},
  depth = 0,
  seen = new Set<AnyNode>(),
): boolean {
  if (!node || depth > MAX_DEPTH || seen.has(node)) return false
  seen.add(node)
  const value = unwrap(node)
  const next = (other: AnyNode | undefined) => isTainted(context, other, options, depth + 1, seen)
  switch (value.type) {
    case 'TemplateLiteral':
      return children(value, 'expressions').some(next)
    case 'BinaryExpression':
    case 'LogicalExpression':
      return next(child(value, 'left')) || next(child(value, 'right'))
    case 'ConditionalExpression':
      return next(child(value, 'consequent')) || next(child(value, 'alternate'))
    case 'AssignmentExpression':
      return next(child(value, 'right'))
    case 'ObjectExpression':
      return children(value, 'properties').some((property) =>
        property.type === 'SpreadElement' ? next(child(property, 'argument')) : next(child(property, 'value')),
      )
    case 'ArrayExpression':
      return children(value, 'elements').some((element) => (element.type === 'SpreadElement' ? next(child(element, 'argument')) : next(element)))
    case 'SpreadElement':
      return next(child(value, 'argument'))
    case 'MemberExpression': {
      const path = memberPath(value)
      if (path && isSourcePath(path)) return !(options.trustCommandLine && path[0] === 'process')
      return next(child(value, 'object'))
    }
    case 'Identifier': {
      const variable = resolveVariable(context, value)
      if (!variable) return false
      if (isStreamDataParameter(variable)) return true
      if (valuesOf(variable).some(next)) return true
      // `chunks.push(chunk)`: a list that collects input carries it.
      return variable.references.some((reference) => {
        const member = (reference.identifier as AnyNode & { parent?: AnyNode }).parent
        const call = (member as { parent?: AnyNode } | undefined)?.parent
        return (
          member?.type === 'MemberExpression' &&
          ['push', 'unshift'].includes(propertyName(member) ?? '') &&
          call?.type === 'CallExpression' &&
          callArguments(call).some(next)
        )
      })
    }
    case 'NewExpression': {
      const name = calleeName(value)
      if (name === 'URLSearchParams' || name === 'URL') return callArguments(value).some(next)
      return false
    }
    case 'CallExpression': {
      const name = calleeName(value)
      if (name !== undefined && SANITIZER.test(name)) return false
      const callee = child(value, 'callee')
      // `params.get('x')`, `text.trim()`, `JSON.parse(body)`, `path.join(dir, name)`: pass through.
      if (callee?.type === 'MemberExpression' && next(child(callee, 'object'))) return true
      return callArguments(value).some(next)
    }
    default:
      return false
  }
}

const STREAM_OWNERS = new Set(['req', 'request', 'socket', 'ws', 'connection', 'client', 'stream'])

/**
 * A parameter of a callback given to `req.on('data', ...)`, `socket.on('message', ...)` and the
 * like: the bytes a client sent.
 */
function isStreamDataParameter(variable: Scope.Variable): boolean {
  const definition = variable.defs[0]
  if (!definition || definition.type !== 'Parameter') return false
  const fn = definition.node as AnyNode
  const call = (fn as { parent?: AnyNode }).parent
  if (!call || call.type !== 'CallExpression' || calleeName(call) !== 'on') return false
  const [event, handler] = callArguments(call)
  const eventName = event?.type === 'Literal' ? String((event as { value?: unknown }).value) : ''
  const owner = calleeObjectPath(call)?.[0] ?? ''
  return handler === fn && (eventName === 'data' || eventName === 'message') && STREAM_OWNERS.has(owner)
}

/** The innermost function around `node`, or the program. */
export function enclosingFunction(context: Rule.RuleContext, node: AnyNode): AnyNode {
  const ancestors = context.sourceCode.getAncestors(node as Node) as AnyNode[]
  for (let index = ancestors.length - 1; index >= 0; index--) {
    const ancestor = ancestors[index]!
    if (ancestor.type === 'FunctionDeclaration' || ancestor.type === 'FunctionExpression' || ancestor.type === 'ArrowFunctionExpression') return ancestor
  }
  return ancestors[0] ?? node
}

/** Every node under `root` (depth-first), skipping nothing; for small per-function searches. */
export function* walk(root: AnyNode): Generator<AnyNode> {
  const stack: AnyNode[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()!
    yield node
    for (const [key, value] of Object.entries(node)) {
      if (key === 'parent') continue
      if (Array.isArray(value)) {
        for (let index = value.length - 1; index >= 0; index--) if (isNode(value[index])) stack.push(value[index] as AnyNode)
      } else if (isNode(value)) {
        stack.push(value)
      }
    }
  }
}

/** Names of the variables an expression reads (`a`, `a.b` → `a`), to match against checks. */
export function identifiersIn(node: AnyNode | undefined): Set<string> {
  const names = new Set<string>()
  if (!node) return names
  for (const inner of walk(node)) if (inner.type === 'Identifier') names.add(String((inner as { name: string }).name))
  return names
}

const URL_CHECK_PARTS = new Set(['origin', 'protocol', 'hostname', 'host'])
const CHECK_METHODS = new Set(['includes', 'has', 'startsWith', 'test', 'match', 'indexOf', 'isValid', 'some', 'every'])

/**
 * Whether the function around `node` checks one of the variables `value` is built from (an
 * allow-list `includes`, a `startsWith` containment check, a regex `test`) before or around use.
 */
export function isCheckedInFunction(context: Rule.RuleContext, node: AnyNode, value: AnyNode | undefined): boolean {
  const names = identifiersIn(value)
  // Follow one level of variables: `const file = path.join(base, name)` checks on `file` or `name`.
  for (const name of [...names]) {
    const identifier = value ? [...walk(value)].find((inner) => inner.type === 'Identifier' && (inner as { name: string }).name === name) : undefined
    const variable = identifier ? resolveVariable(context, identifier) : undefined
    if (variable) for (const expression of valuesOf(variable)) for (const inner of identifiersIn(expression)) names.add(inner)
  }
  if (names.size === 0) return false
  const scope = enclosingFunction(context, node)
  for (const inner of walk(scope)) {
    // `url.origin === location.origin`, `url.protocol === 'https:'`: the URL was checked.
    if (inner.type === 'BinaryExpression' && ['===', '!==', '==', '!='].includes(String((inner as { operator?: unknown }).operator))) {
      for (const side of [child(inner, 'left'), child(inner, 'right')]) {
        const path = memberPath(side)
        if (path && path.length >= 2 && URL_CHECK_PARTS.has(path.at(-1)!) && names.has(path[0]!)) return true
      }
    }
    if (inner.type !== 'CallExpression') continue
    const name = calleeName(inner)
    if (name === undefined || !CHECK_METHODS.has(name)) continue
    const used = new Set([...identifiersIn(child(inner, 'callee')), ...callArguments(inner).flatMap((argument) => [...identifiersIn(argument)])])
    for (const candidate of names) if (used.has(candidate) && !['req', 'request', 'path', 'res'].includes(candidate)) return true
  }
  return false
}

/** The string a node always holds: a literal, or a `const` initialised with one. */
export function constantString(context: Rule.RuleContext, node: AnyNode | undefined): string | undefined {
  if (!node) return undefined
  if (node.type === 'Literal' && typeof (node as { value?: unknown }).value === 'string') return (node as { value: string }).value
  if (node.type === 'TemplateLiteral' && children(node, 'expressions').length === 0) {
    const quasi = children(node, 'quasis')[0]
    return quasi ? String((quasi as { value?: { cooked?: string } }).value?.cooked ?? '') : undefined
  }
  if (node.type === 'Identifier') {
    const variable = resolveVariable(context, node)
    const values = variable ? valuesOf(variable) : []
    if (variable && variable.defs.every((definition) => definition.type === 'Variable') && values.length === 1) return constantString(context, values[0])
  }
  return undefined
}

/** The object literal a node is, or the one a variable holding it was initialised with. */
export function resolveObject(context: Rule.RuleContext, node: AnyNode | undefined): AnyNode | undefined {
  if (!node) return undefined
  if (node.type === 'ObjectExpression') return node
  if (node.type === 'Identifier') {
    const variable = resolveVariable(context, node)
    const values = variable ? valuesOf(variable) : []
    if (values.length === 1 && values[0]!.type === 'ObjectExpression') return values[0]
  }
  return undefined
}
