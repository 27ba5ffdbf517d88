/**
 * Airlock's rules for input reaching a dangerous place: HTML, SQL, NoSQL, shell, code, file paths,
 * outgoing URLs, redirects, deserializers, XML parsers, object keys and regular expressions.
 * Each rule reports one plain sentence about this occurrence; the catalog (rule-catalog.ts) holds
 * the rule's CWE, severity, attack example and fix.
 */
import type { Rule } from 'eslint'
import { isSafePattern } from 'redos-detector'
// A CommonJS module: Node's ESM loader sees no named exports in it, so take the namespace.
import * as regjsparser from 'regjsparser'
import {
  callArguments,
  calleeName,
  calleeObjectPath,
  constantString,
  enclosingFunction,
  isCheckedInFunction,
  isConstant,
  isTainted,
  memberPath,
  propertyName,
  resolveObject,
  walk,
  type AnyNode,
  type TaintOptions,
} from './analysis'
import { field, report, rule } from './rule-kit'

/** For files and URLs: a command line tool's own arguments are its user's choice. */
const LOCAL_INPUT_TRUSTED: TaintOptions = { trustCommandLine: true }

/** The value of property `key` in an object literal, if written there. */
export function objectProperty(object: AnyNode | undefined, key: string): AnyNode | undefined {
  if (!object || object.type !== 'ObjectExpression') return undefined
  for (const property of field<AnyNode[]>(object, 'properties') ?? []) {
    if (property.type !== 'Property') continue
    const name = field<AnyNode>(property, 'key')
    const text = name?.type === 'Identifier' ? field<string>(name, 'name') : name?.type === 'Literal' ? String(field(name, 'value')) : undefined
    if (text === key) return field<AnyNode>(property, 'value')
  }
  return undefined
}

function isLiteralValue(node: AnyNode | undefined, value: unknown): boolean {
  return node?.type === 'Literal' && field(node, 'value') === value
}

// ------------------------------------------------------------------ XSS (CWE-79)

const HTML_PROPERTIES = new Set(['innerHTML', 'outerHTML'])
const URL_PROPERTIES = new Set(['href', 'src', 'action', 'formAction'])

export const xssSink = rule((context) => {
  const unsafe = (value: AnyNode | undefined) => value !== undefined && !isConstant(context, value)
  return {
    AssignmentExpression(node) {
      const left = field<AnyNode>(node, 'left')!
      if (left.type !== 'MemberExpression') return
      const name = propertyName(left)
      const right = field<AnyNode>(node, 'right')
      if (name && HTML_PROPERTIES.has(name) && unsafe(right)) {
        const property = field<AnyNode>(left, 'property')!
        context.report({
          node: node as never,
          message: `${name} is set to a value built at run time: any HTML or script in it runs in the page.`,
          // Mechanical and safe: the value is shown as text instead of parsed as HTML.
          ...(name === 'innerHTML' && !field(left, 'computed')
            ? { suggest: [{ desc: 'Use textContent: show the value as text', fix: (fixer: Rule.RuleFixer) => fixer.replaceText(property as never, 'textContent') }] }
            : {}),
        })
      }
      const path = memberPath(left) ?? []
      const isLocation = path.at(-1) === 'location' || (path.at(-2) === 'location' && name === 'href')
      if (name && (URL_PROPERTIES.has(name) || isLocation) && right && isTainted(context, right, LOCAL_INPUT_TRUSTED) && !isCheckedInFunction(context, node, right) && !isRelativeOnly(right)) {
        report(context, node, `${path.join('.')} is set from user input: a "javascript:" URL in it runs script.`)
      }
    },
    CallExpression(node) {
      const name = calleeName(node)
      const args = callArguments(node)
      const objectPath = calleeObjectPath(node) ?? []
      if (name === 'insertAdjacentHTML' && unsafe(args[1])) {
        report(context, node, 'insertAdjacentHTML gets HTML built at run time: any script in it runs in the page.')
      } else if ((name === 'write' || name === 'writeln') && objectPath.at(-1) === 'document' && args.some((arg) => unsafe(arg))) {
        report(context, node, `document.${name} writes HTML built at run time into the page.`)
      } else if (name === 'html' && args.length > 0 && unsafe(args[0]) && objectPath[0] !== 'res') {
        report(context, node, '.html() inserts HTML built at run time: any script in it runs in the page.')
      } else if ((name === 'send' || name === 'write' || name === 'end') && (objectPath[0] === 'res' || objectPath[0] === 'response')) {
        const body = args[0]
        if (body && body.type !== 'ObjectExpression' && isTainted(context, body) && looksLikeHtml(context, body)) {
          report(context, node, `The response body mixes user input into HTML: the browser runs any script the input carries.`)
        }
      }
    },
    JSXAttribute(node) {
      const attributeName = field<AnyNode>(node, 'name')
      const name = attributeName ? field<string>(attributeName, 'name') : undefined
      const value = field<AnyNode>(node, 'value')
      const expression = value?.type === 'JSXExpressionContainer' ? field<AnyNode>(value, 'expression') : undefined
      if (name === 'dangerouslySetInnerHTML' && expression) {
        const html = objectProperty(expression, '__html') ?? expression
        if (unsafe(html)) report(context, node, 'dangerouslySetInnerHTML renders HTML built at run time: any script in it runs in the page.')
      } else if ((name === 'href' || name === 'src') && expression && isTainted(context, expression) && !isCheckedInFunction(context, node, expression)) {
        report(context, node, `${name} comes from user input: a "javascript:" URL in it runs script when clicked.`)
      } else if (name === 'href' && value?.type === 'Literal' && /^\s*javascript:/i.test(String(field(value, 'value')))) {
        report(context, node, 'A "javascript:" URL runs script when clicked.')
      }
    },
  }
})

/** Whether a response body is HTML: a string part contains a tag. */
function looksLikeHtml(context: Rule.RuleContext, node: AnyNode): boolean {
  for (const inner of walk(node)) {
    if (inner.type === 'Literal' && typeof field(inner, 'value') === 'string' && /<[a-z!/]/i.test(String(field(inner, 'value')))) return true
    if (inner.type === 'TemplateElement' && /<[a-z!/]/i.test(String(field<{ raw: string }>(inner, 'value')?.raw ?? ''))) return true
  }
  void context
  return false
}

// ------------------------------------------------------------------ SQL (CWE-89) and NoSQL (CWE-943)

const SQL_METHODS = new Set(['query', 'execute', 'raw', 'exec', 'prepare', 'all', 'get', 'run', 'each', 'queryRaw', 'executeRaw', '$queryRawUnsafe', '$executeRawUnsafe', 'unsafe', 'whereRaw', 'orderByRaw', 'havingRaw', 'joinRaw'])
const SQL_KEYWORDS = /\b(select|insert|update|delete|from|where|values|into|order by|group by|drop|create|alter)\b/i

/** A string built at run time from pieces, at least one of them not constant. */
function isBuiltString(context: Rule.RuleContext, node: AnyNode | undefined, depth = 0): boolean {
  if (!node || depth > 4) return false
  if (node.type === 'TemplateLiteral') return (field<AnyNode[]>(node, 'expressions') ?? []).length > 0 && !isConstant(context, node)
  if (node.type === 'BinaryExpression' && field(node, 'operator') === '+') return !isConstant(context, node)
  if (node.type === 'CallExpression' && calleeName(node) === 'concat') return !isConstant(context, node)
  if (node.type === 'Identifier') {
    const variable = context.sourceCode.getScope(node as never).references.find((reference) => reference.identifier === node)?.resolved
    if (!variable) return false
    return variable.defs.some((definition) => definition.type === 'Variable' && isBuiltString(context, field<AnyNode>(definition.node as AnyNode, 'init'), depth + 1)) ||
      variable.references.some((reference) => reference.isWrite() && !reference.init && reference.writeExpr !== null && isBuiltString(context, reference.writeExpr as AnyNode, depth + 1))
  }
  return false
}

function mentionsSql(node: AnyNode): boolean {
  for (const inner of walk(node)) {
    if (inner.type === 'Literal' && typeof field(inner, 'value') === 'string' && SQL_KEYWORDS.test(String(field(inner, 'value')))) return true
    if (inner.type === 'TemplateElement' && SQL_KEYWORDS.test(String(field<{ raw: string }>(inner, 'value')?.raw ?? ''))) return true
  }
  return false
}

/** The text that reaches a SQL call: through one variable when the argument is a name. */
function sqlText(context: Rule.RuleContext, argument: AnyNode): AnyNode {
  if (argument.type !== 'Identifier') return argument
  const variable = context.sourceCode.getScope(argument as never).references.find((reference) => reference.identifier === argument)?.resolved
  const init = variable?.defs.find((definition) => definition.type === 'Variable')
  return (init ? field<AnyNode>(init.node as AnyNode, 'init') : undefined) ?? argument
}

export const sqlInjection = rule((context) => ({
  CallExpression(node) {
    const name = calleeName(node)
    if (name === undefined || !SQL_METHODS.has(name)) return
    const argument = callArguments(node)[0]
    if (!argument) return
    const text = sqlText(context, argument)
    // The text must look like SQL: `exec('ls ' + dir)` and `cache.get(prefix + key)` are not queries.
    if (isBuiltString(context, argument) && mentionsSql(text)) {
      report(context, node, `The SQL passed to ${name}() is built by joining strings: input can change the query itself.`)
    }
  },
  TaggedTemplateExpression(node) {
    // sql`...` tags from most libraries are safe; Prisma's $queryRawUnsafe is a call, handled above.
    void node
  },
}))

const MONGO_METHODS = new Set(['find', 'findOne', 'findOneAndUpdate', 'findOneAndDelete', 'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'count', 'countDocuments', 'aggregate', 'where', 'findById'])

export const nosqlInjection = rule((context) => ({
  Property(node) {
    const key = field<AnyNode>(node, 'key')
    const keyName = key?.type === 'Identifier' ? field<string>(key, 'name') : key?.type === 'Literal' ? String(field(key, 'value')) : undefined
    if (keyName === '$where' && !isConstant(context, field<AnyNode>(node, 'value'))) {
      report(context, node, '$where runs JavaScript inside the database, and this one is built at run time.')
    }
  },
  CallExpression(node) {
    const name = calleeName(node)
    if (name === undefined || !MONGO_METHODS.has(name)) return
    const filter = callArguments(node)[0]
    if (!filter || name === 'findById') return
    // A whole request object as a filter, or a filter whose values are request fields as sent:
    // `{ password: { $ne: null } }` in the body matches every user.
    const problem = filterProblem(context, filter, 0)
    if (problem === 'whole') {
      report(context, node, `${name}() gets a filter straight from the request: a client can send query operators such as $ne or $gt.`)
    } else if (problem === 'field') {
      report(context, node, `${name}() puts a request field into the filter as sent: an object like {"$ne": null} there matches every record.`)
    }
  },
}))

/**
 * How a filter lets a client inject operators: it is a request object (`whole`), or one of its
 * values is a request field as sent (`field`). `String(x)`, `Number(x)` and the like make values safe.
 */
function filterProblem(context: Rule.RuleContext, filter: AnyNode | undefined, depth: number): 'whole' | 'field' | undefined {
  if (!filter || depth > 3) return undefined
  if (filter.type === 'MemberExpression') return isTainted(context, filter) ? 'whole' : undefined
  if (filter.type === 'Identifier') {
    const variable = context.sourceCode.getScope(filter as never).references.find((reference) => reference.identifier === filter)?.resolved
    const init = variable?.defs.find((definition) => definition.type === 'Variable')
    const value = init ? field<AnyNode>(init.node as AnyNode, 'init') : undefined
    if (!value) return undefined
    if (value.type === 'MemberExpression' || value.type === 'Identifier' || value.type === 'ObjectExpression') {
      const inner = filterProblem(context, value, depth + 1)
      return inner === 'whole' && depth > 0 ? 'field' : inner
    }
    return undefined
  }
  if (filter.type === 'ObjectExpression') {
    for (const property of field<AnyNode[]>(filter, 'properties') ?? []) {
      if (property.type === 'SpreadElement') {
        if (isTainted(context, field<AnyNode>(property, 'argument'))) return 'field'
        continue
      }
      const value = field<AnyNode>(property, 'value')
      if (value && filterProblem(context, value, depth + 1) !== undefined) return 'field'
    }
  }
  return undefined
}

// ------------------------------------------------------------------ OS commands (CWE-78), code (CWE-94)

export const commandInjection = rule((context) => ({
  CallExpression(node) {
    const name = calleeName(node)
    const args = callArguments(node)
    if ((name === 'exec' || name === 'execSync') && args[0] && !isConstant(context, args[0])) {
      const objectPath = calleeObjectPath(node)
      // `regex.exec(text)` and `db.exec(sql)` are not shells.
      if (objectPath && !['child_process', 'cp', 'childProcess', 'shell'].includes(objectPath.at(-1) ?? '') && !isRequireOf(objectPath)) return
      if (!objectPath && !isChildProcessImport(context, 'exec', 'execSync')) return
      report(context, node, `${name}() runs a shell command built at run time: input can add its own commands.`)
      return
    }
    if (name === 'spawn' || name === 'spawnSync' || name === 'execFile' || name === 'execFileSync') {
      const options = args.find((arg) => arg.type === 'ObjectExpression')
      const shell = objectProperty(options, 'shell')
      const usesShell = shell !== undefined && !isLiteralValue(shell, false)
      const command = args[0]
      const commandArgs = args[1]?.type === 'ArrayExpression' ? (field<AnyNode[]>(args[1], 'elements') ?? []) : []
      const variable = [command, ...commandArgs].some((arg) => arg !== undefined && !isConstant(context, arg))
      // spawn('sh', ['-c', script]) is a shell too.
      const program = constantString(context, command) ?? ''
      const isShellProgram = /^(?:\/bin\/)?(?:sh|bash|zsh|dash|cmd(?:\.exe)?|powershell(?:\.exe)?|pwsh)$/i.test(program)
      const runsScript = isShellProgram && commandArgs.some((arg) => ['-c', '/c', '-Command'].includes(constantString(context, arg) ?? ''))
      if ((usesShell || runsScript) && variable) {
        report(context, node, `${name}() runs a command built at run time through a shell: input can add its own commands.`)
      }
    }
  },
}))

function isRequireOf(path: readonly string[]): boolean {
  return path.length === 0
}

/** `import { exec } from 'child_process'` or `const { exec } = require('child_process')` in this file. */
function isChildProcessImport(context: Rule.RuleContext, ...names: string[]): boolean {
  const text = context.sourceCode.text
  return /child_process/.test(text) && names.some((name) => new RegExp(`\\b${name}\\b`).test(text))
}

export const codeInjection = rule((context) => ({
  CallExpression(node) {
    const name = calleeName(node)
    const args = callArguments(node)
    const callee = field<AnyNode>(node, 'callee')
    if (name === 'eval' && callee?.type === 'Identifier' && args[0] && !isConstant(context, args[0])) {
      report(context, node, 'eval() runs code built at run time: input becomes code.')
    } else if (name === 'Function' && callee?.type === 'Identifier' && args.some((arg) => !isConstant(context, arg))) {
      report(context, node, 'Function() compiles code built at run time: input becomes code.')
    } else if ((name === 'setTimeout' || name === 'setInterval') && callee?.type === 'Identifier' && args[0] && isStringLike(context, args[0])) {
      report(context, node, `${name}() with a string runs that string as code.`)
    } else if (['runInNewContext', 'runInThisContext', 'runInContext', 'compileFunction'].includes(name ?? '') && args[0] && !isConstant(context, args[0])) {
      report(context, node, `vm.${name}() runs code built at run time; Node's vm module is not a security boundary.`)
    }
  },
  NewExpression(node) {
    const name = calleeName(node)
    const args = callArguments(node)
    if (name === 'Function' && args.some((arg) => !isConstant(context, arg))) {
      report(context, node, 'new Function() compiles code built at run time: input becomes code.')
    } else if (name === 'Script' && args[0] && !isConstant(context, args[0]) && /\bvm\b/.test(context.sourceCode.text)) {
      report(context, node, "new vm.Script() compiles code built at run time; Node's vm module is not a security boundary.")
    }
  },
}))

function isStringLike(context: Rule.RuleContext, node: AnyNode): boolean {
  if (node.type === 'Literal') return typeof field(node, 'value') === 'string'
  if (node.type === 'TemplateLiteral') return true
  if (node.type === 'BinaryExpression') return isStringLike(context, field<AnyNode>(node, 'left')!) || isStringLike(context, field<AnyNode>(node, 'right')!)
  return false
}

// ------------------------------------------------------------------ paths (CWE-22), SSRF (CWE-918), redirects (CWE-601)

const FS_METHODS = new Set([
  'readFile', 'readFileSync', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createReadStream', 'createWriteStream',
  'unlink', 'unlinkSync', 'rm', 'rmSync', 'readdir', 'readdirSync', 'stat', 'statSync', 'open', 'openSync', 'access', 'accessSync',
  'copyFile', 'rename', 'mkdir', 'lstat', 'existsSync',
])
const FILE_RESPONSE_METHODS = new Set(['sendFile', 'download', 'attachment'])

export const pathTraversal = rule((context) => ({
  CallExpression(node) {
    const name = calleeName(node)
    if (name === undefined) return
    const objectPath = calleeObjectPath(node) ?? []
    const isFs = FS_METHODS.has(name) && (objectPath.length === 0 || /fs|promises|fsp|fse/i.test(objectPath.join('.')))
    const isResponse = FILE_RESPONSE_METHODS.has(name) && (objectPath[0] === 'res' || objectPath[0] === 'response')
    if (!isFs && !isResponse) return
    const target = callArguments(node)[0]
    if (!target || !isTainted(context, target, LOCAL_INPUT_TRUSTED)) return
    if (isCheckedInFunction(context, node, target)) return
    // res.sendFile(name, { root }) confines the path to root.
    if (isResponse && objectProperty(callArguments(node)[1], 'root')) return
    report(context, node, `${name}() opens a path built from user input without checking it stays inside a folder: "../" walks out.`)
  },
}))

const HTTP_CLIENT_OBJECTS = new Set(['axios', 'got', 'http', 'https', 'superagent', 'needle', 'request', 'ky', 'undici'])
const HTTP_CLIENT_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'request', 'fetch'])

export const ssrf = rule((context) => ({
  CallExpression(node) {
    const name = calleeName(node)
    const objectPath = calleeObjectPath(node)
    const callee = field<AnyNode>(node, 'callee')
    const isClientCall =
      (callee?.type === 'Identifier' && (name === 'fetch' || name === 'axios' || name === 'got' || name === 'request')) ||
      (objectPath !== undefined && HTTP_CLIENT_OBJECTS.has(objectPath.at(-1) ?? '') && HTTP_CLIENT_METHODS.has(name ?? ''))
    if (!isClientCall) return
    const first = callArguments(node)[0]
    const target = first?.type === 'ObjectExpression' ? (objectProperty(first, 'url') ?? objectProperty(first, 'host') ?? objectProperty(first, 'hostname')) : first
    if (!target || !isTainted(context, target, LOCAL_INPUT_TRUSTED) || isCheckedInFunction(context, node, target)) return
    if (target.type === 'TemplateLiteral' && startsWithFixedOrigin(target)) return
    report(context, node, 'The server requests a URL taken from user input: it can be pointed at internal services or cloud metadata.')
  },
}))

/** `https://api.example.com/users/${id}`: the host is fixed, only the path varies. */
function startsWithFixedOrigin(template: AnyNode): boolean {
  const first = (field<AnyNode[]>(template, 'quasis') ?? [])[0]
  const raw = String(field<{ raw: string }>(first ?? { type: 'x' }, 'value')?.raw ?? '')
  return /^https?:\/\/[^/]+\//i.test(raw)
}

export const openRedirect = rule((context) => ({
  CallExpression(node) {
    const name = calleeName(node)
    const objectPath = calleeObjectPath(node) ?? []
    const args = callArguments(node)
    // res.writeHead(302, { Location: target }) and res.setHeader('Location', target)
    const isResponse = objectPath[0] === 'res' || objectPath[0] === 'response'
    const header =
      isResponse && name === 'writeHead'
        ? (objectProperty(args[1], 'Location') ?? objectProperty(args[1], 'location'))
        : isResponse && (name === 'setHeader' || name === 'header' || name === 'set') && (constantString(context, args[0]) ?? '').toLowerCase() === 'location'
          ? args[1]
          : undefined
    if (header && isTainted(context, header, LOCAL_INPUT_TRUSTED) && !isCheckedInFunction(context, node, header) && !isRelativeOnly(header)) {
      report(context, node, 'The Location header comes from user input: a link can send people to any site while looking like yours.')
      return
    }
    const isServerRedirect = name === 'redirect' && (objectPath[0] === 'res' || objectPath[0] === 'response' || objectPath[0] === 'ctx')
    const isLocationCall = (name === 'assign' || name === 'replace') && objectPath.at(-1) === 'location'
    const isOpen = name === 'open' && objectPath.at(-1) === 'window'
    if (!isServerRedirect && !isLocationCall && !isOpen) return
    const target = isServerRedirect && args.length > 1 ? args[1] : args[0]
    if (!target || !isTainted(context, target, LOCAL_INPUT_TRUSTED) || isCheckedInFunction(context, node, target) || isRelativeOnly(target)) return
    report(context, node, 'The redirect target comes from user input: a link can send people to any site while looking like yours.')
  },
  AssignmentExpression(node) {
    const left = field<AnyNode>(node, 'left')!
    const path = memberPath(left)
    if (!path) return
    const isLocation = path.at(-1) === 'location' || (path.at(-2) === 'location' && path.at(-1) === 'href')
    const right = field<AnyNode>(node, 'right')
    if (!isLocation || !right || !isTainted(context, right, LOCAL_INPUT_TRUSTED) || isCheckedInFunction(context, node, right) || isRelativeOnly(right)) return
    report(context, node, 'The page navigates to a URL taken from user input: a link can send people to any site.')
  },
}))

/** `'/' + path` or `/${path}`-style targets stay on the site unless they start with "//". */
function isRelativeOnly(node: AnyNode): boolean {
  if (node.type === 'BinaryExpression') {
    const left = field<AnyNode>(node, 'left')
    return left?.type === 'Literal' && /^\/[^/\\]/.test(String(field(left, 'value')))
  }
  if (node.type === 'TemplateLiteral') {
    const first = (field<AnyNode[]>(node, 'quasis') ?? [])[0]
    return /^\/[^/\\]/.test(String(field<{ raw: string }>(first ?? { type: 'x' }, 'value')?.raw ?? ''))
  }
  return false
}

// ------------------------------------------------------------------ deserialization (CWE-502), XXE (CWE-611)

export const insecureDeserialization = rule((context) => ({
  CallExpression(node) {
    const name = calleeName(node)
    const args = callArguments(node)
    const objectPath = calleeObjectPath(node) ?? []
    const library = objectPath.at(-1) ?? ''
    if (name === 'unserialize' && args[0] && !isConstant(context, args[0])) {
      report(context, node, 'unserialize() can run functions embedded in the data: never unserialize what a client sent.')
    } else if ((name === 'deserialize' || name === 'deepDeserialize') && /funcster|serialize/i.test(library) && args[0] && !isConstant(context, args[0])) {
      report(context, node, `${name}() rebuilds functions from the data: a client can send code that runs.`)
    } else if (name === 'deserialize' && library === 'v8' && args[0] && isTainted(context, args[0])) {
      report(context, node, 'v8.deserialize() of bytes from a client rebuilds whatever objects they describe.')
    } else if (name === 'eval' && args[0] && isTainted(context, args[0]) && context.sourceCode.getText(args[0] as never).includes("'('")) {
      report(context, node, 'eval() is used to parse data from the request: it runs any code the data contains.')
    } else if (name === 'load' && objectPath.at(-1) === 'yaml' && args[0] && isTainted(context, args[0]) && !objectProperty(args[1], 'schema')) {
      report(context, node, 'yaml.load() of request data can build arbitrary objects in old js-yaml versions; use a safe schema.')
    }
  },
}))

export const xmlExternalEntities = rule((context) => ({
  CallExpression(node) {
    const name = calleeName(node)
    if (name !== 'parseXml' && name !== 'parseXmlString' && name !== 'parseXmlAsync' && name !== 'xmlParse') return
    const options = resolveObject(context, callArguments(node)[1])
    const noent = objectProperty(options, 'noent')
    if (noent && !isLiteralValue(noent, false)) {
      report(context, node, `${name}() with noent: true expands external entities: a document can read local files.`)
    }
  },
}))

// ------------------------------------------------------------------ prototype pollution (CWE-1321)

export const prototypePollution = rule((context) => {
  const reportedFunctions = new Set<AnyNode>()
  return {
  MemberExpression(node) {
    const name = propertyName(node)
    const parent = field<AnyNode>(node, 'parent')
    if (name === '__proto__' && parent?.type === 'AssignmentExpression' && field(parent, 'left') === node) {
      report(context, node, 'Writing through __proto__ changes the prototype of every object of that kind.')
    }
  },
  AssignmentExpression(node) {
    const left = field<AnyNode>(node, 'left')!
    if (left.type !== 'MemberExpression' || !field(left, 'computed')) return
    const object = field<AnyNode>(left, 'object')
    const key = field<AnyNode>(left, 'property')
    // obj[a][b] = v with a and b from input: `__proto__` then `isAdmin` pollutes every object.
    const outerKey = object?.type === 'MemberExpression' && field(object, 'computed') ? field<AnyNode>(object, 'property') : undefined
    if (outerKey && isTainted(context, key) && isTainted(context, outerKey) && !isCheckedInFunction(context, node, key) && !isCheckedInFunction(context, node, outerKey)) {
      report(context, node, 'Two keys from user input select where to write: "__proto__" as the first changes every object.')
      return
    }
    const fn = enclosingFunction(context, node)
    if (key && !reportedFunctions.has(fn) && isPathSegment(context, key) && !isGuarded(context, node, keyNameOf(key))) {
      reportedFunctions.add(fn)
      report(context, node, 'This setter walks a dotted path and writes to each part: a path like "__proto__.isAdmin" changes every object.')
      return
    }
    if (!key || key.type !== 'Identifier' || isGuarded(context, node, String(field(key, 'name')))) return
    if (!reportedFunctions.has(fn) && isRecursiveKeyCopy(fn, String(field(key, 'name')))) {
      reportedFunctions.add(fn)
      report(context, node, 'This recursive merge copies every key, "__proto__" and "constructor" included: merged input can change every object.')
    }
  },
  }
})

function keyNameOf(key: AnyNode): string {
  return key.type === 'Identifier' ? String(field(key, 'name')) : (memberPath(field<AnyNode>(key, 'object'))?.[0] ?? '')
}

/** A key that is one part of a split path: `parts[i]`, or `part` taken from such a list. */
function isPathSegment(context: Rule.RuleContext, key: AnyNode | null | undefined, depth = 0): boolean {
  if (!key || depth > 3) return false
  const fromSplit = (node: AnyNode | undefined): boolean =>
    node !== undefined && node.type === 'CallExpression' && calleeName(node) === 'split'
  if (key.type === 'MemberExpression' && field(key, 'computed')) {
    const list = field<AnyNode>(key, 'object')
    if (!list || list.type !== 'Identifier') return false
    const variable = context.sourceCode.getScope(list as never).references.find((reference) => reference.identifier === list)?.resolved
    return variable?.defs.some((definition) => definition.type === 'Variable' && fromSplit(field<AnyNode>(definition.node as AnyNode, 'init'))) ?? false
  }
  if (key.type === 'Identifier') {
    const variable = context.sourceCode.getScope(key as never).references.find((reference) => reference.identifier === key)?.resolved
    const definition = variable?.defs.find((candidate) => candidate.type === 'Variable')
    const init = definition ? field<AnyNode | null>(definition.node as AnyNode, 'init') : undefined
    return isPathSegment(context, init, depth + 1)
  }
  return false
}

/** A function that loops over keys and calls itself: the shape of deepMerge/extend. */
function isRecursiveKeyCopy(fn: AnyNode, keyName: string): boolean {
  const id = field<AnyNode>(fn, 'id')
  let name = id ? String(field(id, 'name')) : undefined
  const parent = field<AnyNode>(fn, 'parent')
  if (!name && parent?.type === 'VariableDeclarator') name = String(field(field<AnyNode>(parent, 'id') ?? { type: 'x' }, 'name'))
  if (!name) return false
  let loopsOverKeys = false
  let recurses = false
  for (const inner of walk(fn)) {
    if (inner.type === 'ForInStatement' || inner.type === 'ForOfStatement') {
      const left = field<AnyNode>(inner, 'left')
      if (left && [...walk(left)].some((node) => node.type === 'Identifier' && field(node, 'name') === keyName)) loopsOverKeys = true
    }
    if (inner.type === 'CallExpression' && calleeName(inner) === 'forEach') loopsOverKeys = true
    if (inner.type === 'CallExpression' && calleeName(inner) === name) recurses = true
  }
  return loopsOverKeys && recurses
}

/** A check such as `if (key === '__proto__') continue` or a hasOwnProperty guard on `key`. */
function isGuarded(context: Rule.RuleContext, node: AnyNode, keyName: string): boolean {
  const fn = enclosingFunction(context, node)
  for (const inner of walk(fn)) {
    if (inner.type === 'Literal' && ['__proto__', 'constructor', 'prototype'].includes(String(field(inner, 'value')))) return true
    if (inner.type === 'CallExpression' && ['hasOwnProperty', 'hasOwn'].includes(calleeName(inner) ?? '')) {
      if (callArguments(inner).some((arg) => arg.type === 'Identifier' && field(arg, 'name') === keyName)) return true
    }
  }
  return false
}

// ------------------------------------------------------------------ ReDoS (CWE-1333)

/**
 * Whether an unbounded quantifier sits inside another one (`(a+)+`, `(\w+\s?)*`): the shape of
 * exponential backtracking. Patterns without it can still be quadratic, which is not reported.
 */
function hasNestedUnboundedQuantifier(source: string, flags: string): boolean {
  let tree: unknown
  try {
    const parse = (regjsparser as unknown as { default?: typeof regjsparser }).default?.parse ?? regjsparser.parse
    tree = parse(source, flags.replace(/[^gimsuyv]/g, ''), { unicodePropertyEscape: true, namedGroups: true, lookbehind: true })
  } catch {
    return false
  }
  const visit = (node: unknown, insideUnbounded: boolean): boolean => {
    if (typeof node !== 'object' || node === null) return false
    const record = node as { type?: string; max?: number; body?: unknown }
    const isUnbounded = record.type === 'quantifier' && record.max === undefined
    if (isUnbounded && insideUnbounded) return true
    const children = Array.isArray(record.body) ? record.body : record.body ? [record.body] : []
    return children.some((inner) => visit(inner, insideUnbounded || isUnbounded))
  }
  return visit(tree, false)
}

// The same pattern is checked once per scanner instance (the worker lives across scans).
const patternVerdicts = new Map<string, boolean>()
const MAX_REMEMBERED_PATTERNS = 2000

function checkPattern(context: Rule.RuleContext, node: AnyNode, source: string, flags: string): void {
  if (!hasNestedUnboundedQuantifier(source, flags)) return
  const key = `${flags}/${source}`
  let safe = patternVerdicts.get(key)
  if (safe === undefined) {
    safe = isPatternSafe(source, flags)
    if (patternVerdicts.size >= MAX_REMEMBERED_PATTERNS) patternVerdicts.clear()
    patternVerdicts.set(key, safe)
  }
  if (!safe) report(context, node, `The regular expression /${source.length > 60 ? `${source.slice(0, 57)}...` : source}/ can take exponential time on some inputs (catastrophic backtracking).`)
}

function isPatternSafe(source: string, flags: string): boolean {
  let safe: boolean
  try {
    // Anchored, so only backtracking from one start position counts: exponential blow-ups such as
    // (a+)+ are reported, the quadratic cost of retrying an unanchored /\s+$/ at every position is not.
    new RegExp(source, flags.replace(/[^dgimsuyv]/g, ''))
    const result = isSafePattern(`^(?:${source})`, {
      caseInsensitive: flags.includes('i'),
      unicode: flags.includes('u') || flags.includes('v'),
      dotAll: flags.includes('s'),
      multiLine: flags.includes('m'),
      maxSteps: 5000,
      timeout: 100,
    })
    // Only patterns with a nested unbounded quantifier get here; running out of steps or time on
    // one of those is the blow-up itself, so only a clear "safe" clears it.
    safe = result.safe
  } catch {
    return true // not a pattern this engine knows; the parser reports real syntax errors
  }
  return safe
}

export const redos = rule((context) => ({
  Literal(node) {
    const regex = field<{ pattern: string; flags: string }>(node, 'regex')
    if (regex) checkPattern(context, node, regex.pattern, regex.flags)
  },
  NewExpression(node) {
    if (calleeName(node) !== 'RegExp') return
    const [pattern, flags] = callArguments(node)
    if (pattern?.type === 'Literal' && typeof field(pattern, 'value') === 'string') {
      checkPattern(context, node, String(field(pattern, 'value')), flags?.type === 'Literal' ? String(field(flags, 'value')) : '')
    } else if (pattern && isTainted(context, pattern)) {
      report(context, node, 'A regular expression is built from user input: a crafted pattern can hang the process.')
    }
  },
}))
