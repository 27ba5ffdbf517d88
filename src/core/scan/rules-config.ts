/**
 * Airlock's rules for unsafe settings and misused primitives: hard-coded secrets, weak hashing and
 * ciphers, predictable randomness, disabled TLS checks, unverified JWTs, cookie flags, permissive
 * CORS, unchecked postMessage, target=_blank and secrets written to logs.
 */
import type { Rule } from 'eslint'
import {
  callArguments,
  calleeName,
  calleeObjectPath,
  constantString,
  enclosingFunction,
  identifiersIn,
  isCheckedInFunction,
  isConstant,
  isTainted,
  memberPath,
  propertyName,
  resolveObject,
  walk,
  type AnyNode,
} from './analysis'
import { field, report, rule } from './rule-kit'
import { objectProperty } from './rules-injection'
import { findSecret, maskSecret } from './secrets'

function literalString(node: AnyNode | undefined): string | undefined {
  if (!node) return undefined
  if (node.type === 'Literal' && typeof field(node, 'value') === 'string') return String(field(node, 'value'))
  if (node.type === 'TemplateLiteral' && (field<AnyNode[]>(node, 'expressions') ?? []).length === 0) {
    return String(field<{ cooked: string }>((field<AnyNode[]>(node, 'quasis') ?? [])[0] ?? { type: 'x' }, 'value')?.cooked ?? '')
  }
  return undefined
}

/** The name a value is stored under: `const apiKey = ...`, `{ apiKey: ... }`, `config.apiKey = ...`. */
function storedName(node: AnyNode): string | undefined {
  const parent = field<AnyNode>(node, 'parent')
  if (!parent) return undefined
  if (parent.type === 'VariableDeclarator') return String(field(field<AnyNode>(parent, 'id') ?? { type: 'x' }, 'name') ?? '')
  if (parent.type === 'Property') {
    const key = field<AnyNode>(parent, 'key')
    return key?.type === 'Identifier' ? String(field(key, 'name')) : key?.type === 'Literal' ? String(field(key, 'value')) : undefined
  }
  if (parent.type === 'AssignmentExpression') return memberPath(field<AnyNode>(parent, 'left'))?.at(-1)
  if (parent.type === 'AssignmentPattern') return String(field(field<AnyNode>(parent, 'left') ?? { type: 'x' }, 'name') ?? '')
  return undefined
}

// ------------------------------------------------------------------ secrets (CWE-798)

export const hardcodedSecret = rule((context) => ({
  Program() {
    // Tokens pasted into comments leak just the same; only known formats count there.
    for (const comment of context.sourceCode.getAllComments()) {
      const secret = findSecret(comment.value, undefined)
      if (secret) context.report({ loc: comment.loc!, message: secretMessage(secret.kind, secret.value) })
    }
  },
  Literal(node) {
    const text = literalString(node)
    if (text === undefined || text.length < 8) return
    const secret = findSecret(text, storedName(node))
    if (secret) report(context, node, secretMessage(secret.kind, secret.value))
  },
  TemplateLiteral(node) {
    const text = literalString(node)
    if (text === undefined || text.length < 8) return
    const secret = findSecret(text, storedName(node))
    if (secret) report(context, node, secretMessage(secret.kind, secret.value))
  },
}))

function secretMessage(kind: string, value: string): string {
  return `Secret in the code: ${kind} ${maskSecret(value)}; anyone who sees the code can use it.`
}

// ------------------------------------------------------------------ hashing (CWE-916), ciphers (CWE-327), randomness (CWE-338)

const FAST_HASHES = new Set(['md5', 'md4', 'sha1', 'sha-1', 'sha256', 'sha-256', 'sha512', 'sha-512', 'sha384', 'ripemd160'])
const PASSWORD_NAME = /pass(word|wd|phrase)?|pwd|credential/i

export const weakPasswordHash = rule((context) => ({
  CallExpression(node) {
    if (calleeName(node) !== 'createHash') return
    const algorithm = constantString(context, callArguments(node)[0])?.toLowerCase()
    if (!algorithm || !FAST_HASHES.has(algorithm)) return
    // Look at what is hashed: `.update(password)` chained on this call, or in the same function.
    const fn = enclosingFunction(context, node)
    const fnId = field<AnyNode>(fn, 'id')
    const fnName = fnId ? String(field(fnId, 'name')) : ''
    let hashesPassword = PASSWORD_NAME.test(fnName)
    for (const inner of walk(fn)) {
      if (inner.type === 'CallExpression' && calleeName(inner) === 'update') {
        const names = [...identifiersIn(callArguments(inner)[0])]
        const paths = callArguments(inner).map((arg) => memberPath(arg)?.join('.') ?? '')
        if (names.some((name) => PASSWORD_NAME.test(name)) || paths.some((path) => PASSWORD_NAME.test(path))) hashesPassword = true
      }
    }
    // A helper such as sha1(value): look at what the file passes to it.
    if (!hashesPassword && fnName) {
      for (const inner of walk(context.sourceCode.ast as AnyNode)) {
        if (inner.type !== 'CallExpression' || calleeName(inner) !== fnName) continue
        if (callArguments(inner).some((arg) => [...identifiersIn(arg)].some((name) => PASSWORD_NAME.test(name)) || PASSWORD_NAME.test(memberPath(arg)?.join('.') ?? ''))) hashesPassword = true
      }
    }
    if (hashesPassword) {
      report(context, node, `Passwords hashed with ${algorithm} can be guessed billions of times per second; use bcrypt, scrypt or argon2.`)
    }
  },
}))

const WEAK_CIPHERS = /(^|-)(ecb)$|^des|^rc4|^rc2|^bf|^blowfish|^idea|^cast/i

export const weakCipher = rule((context) => ({
  CallExpression(node) {
    const name = calleeName(node)
    if (name === 'createCipher' || name === 'createDecipher') {
      report(context, node, `${name}() derives the key with MD5 and no salt and reuses the IV; it was removed from Node. Use createCipheriv with aes-256-gcm.`)
      return
    }
    if (name !== 'createCipheriv' && name !== 'createDecipheriv') return
    const algorithm = constantString(context, callArguments(node)[0])
    if (algorithm && WEAK_CIPHERS.test(algorithm)) {
      report(context, node, `${algorithm} is a weak cipher or mode: ${/ecb/i.test(algorithm) ? 'ECB shows patterns of the plaintext' : 'it can be broken'}. Use aes-256-gcm.`)
    }
  },
}))

const SECRET_VALUE_NAME = /token|secret|passw|pwd|apikey|api_key|key$|^key|session|nonce|salt|otp|code$|reset|csrf|auth|uuid|^id$|Id$/i

export const insecureRandom = rule((context) => ({
  CallExpression(node) {
    const path = memberPath(field<AnyNode>(node, 'callee'))
    if (path?.join('.') !== 'Math.random') return
    // What the random value becomes: the variable, property or function it ends up in.
    let current: AnyNode | undefined = node
    for (let hops = 0; current && hops < 12; hops++) {
      const name = storedName(current)
      if (name && SECRET_VALUE_NAME.test(name)) {
        report(context, node, `Math.random() is predictable, and here it makes a ${name}: use crypto.randomBytes or crypto.randomUUID.`)
        return
      }
      const parent: AnyNode | undefined = field<AnyNode>(current, 'parent')
      if (!parent || parent.type === 'Program') break
      if (parent.type === 'FunctionDeclaration' || parent.type === 'FunctionExpression' || parent.type === 'ArrowFunctionExpression') {
        const id = field<AnyNode>(parent, 'id')
        const fnName = id ? String(field(id, 'name')) : storedName(parent)
        if (fnName && SECRET_VALUE_NAME.test(fnName)) {
          report(context, node, `Math.random() is predictable, and here it makes a value for ${fnName}(): use crypto.randomBytes or crypto.randomUUID.`)
        }
        return
      }
      current = parent
    }
  },
}))

// ------------------------------------------------------------------ TLS (CWE-295), JWT (CWE-347)

export const tlsDisabled = rule((context) => ({
  Property(node) {
    const key = field<AnyNode>(node, 'key')
    const name = key?.type === 'Identifier' ? field(key, 'name') : key?.type === 'Literal' ? field(key, 'value') : undefined
    const value = field<AnyNode>(node, 'value')
    if ((name === 'rejectUnauthorized' || name === 'strictSSL') && value?.type === 'Literal' && field(value, 'value') === false) {
      report(context, node, `${String(name)}: false accepts any certificate: anyone on the network path can read and change the traffic.`)
    }
  },
  AssignmentExpression(node) {
    const path = memberPath(field<AnyNode>(node, 'left'))?.join('.')
    const value = field<AnyNode>(node, 'right')
    if (path === 'process.env.NODE_TLS_REJECT_UNAUTHORIZED' && value?.type === 'Literal' && String(field(value, 'value')) === '0') {
      report(context, node, 'NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks for every HTTPS request of the process.')
    }
  },
}))

export const jwtVerification = rule((context) => ({
  CallExpression(node) {
    const name = calleeName(node)
    const objectPath = calleeObjectPath(node) ?? []
    const isJwt = objectPath.some((part) => /jwt|jsonwebtoken|jose/i.test(part))
    if (!isJwt) return
    const args = callArguments(node)
    if (name === 'decode') {
      report(context, node, 'jwt.decode() does not check the signature: anyone can forge a token that decodes.')
    } else if (name === 'verify') {
      const options = args[2]
      const algorithms = objectProperty(options, 'algorithms')
      if (!algorithms) {
        report(context, node, 'jwt.verify() without an algorithms list lets the token choose how it is checked; pin it, e.g. { algorithms: ["HS256"] }.')
      } else if ([...walk(algorithms)].some((inner) => inner.type === 'Literal' && String(field(inner, 'value')).toLowerCase() === 'none')) {
        report(context, node, 'jwt.verify() accepts the "none" algorithm: unsigned tokens pass.')
      }
    } else if (name === 'sign') {
      const algorithm = objectProperty(args[2], 'algorithm')
      if (algorithm && String(field(algorithm, 'value')).toLowerCase() === 'none') report(context, node, 'Tokens signed with "none" carry no signature at all.')
    }
  },
}))

// ------------------------------------------------------------------ cookies (CWE-614), CORS (CWE-942)

export const insecureCookie = rule((context) => ({
  CallExpression(node) {
    if (calleeName(node) !== 'cookie') return
    const objectPath = calleeObjectPath(node) ?? []
    if (objectPath[0] !== 'res' && objectPath[0] !== 'response' && objectPath[0] !== 'reply') return
    const args = callArguments(node)
    if (args.length < 2) return
    const options = args[2] === undefined ? undefined : resolveObject(context, args[2])
    if (args[2] !== undefined && options === undefined) return // options built elsewhere: unknown
    const missing = ['httpOnly', 'secure', 'sameSite'].filter((flag) => {
      const value = objectProperty(options, flag)
      return !value || (value.type === 'Literal' && (field(value, 'value') === false || String(field(value, 'value')).toLowerCase() === 'none'))
    })
    if (missing.length > 0) {
      report(context, node, `This cookie is set without ${missing.join(', ')}: scripts can read it or it travels over plain HTTP and cross-site requests.`)
    }
  },
  AssignmentExpression(node) {
    if (memberPath(field<AnyNode>(node, 'left'))?.join('.') !== 'document.cookie') return
    const value = field<AnyNode>(node, 'right')
    const text = context.sourceCode.getText(value as never)
    if (!/secure/i.test(text) && /token|session|auth|jwt|sid/i.test(text)) {
      report(context, node, 'A session or token cookie is written from script without Secure; script-written cookies can never be HttpOnly.')
    }
  },
  Property(node) {
    // express-session / cookie-session options: cookie: { secure: false, httpOnly: false }
    const key = field<AnyNode>(node, 'key')
    if (key?.type !== 'Identifier' || field(key, 'name') !== 'cookie') return
    const value = field<AnyNode>(node, 'value')
    for (const flag of ['secure', 'httpOnly']) {
      const setting = objectProperty(value, flag)
      if (setting?.type === 'Literal' && field(setting, 'value') === false) {
        report(context, node, `The session cookie is configured with ${flag}: false.`)
        return
      }
    }
  },
}))

export const permissiveCors = rule((context) => ({
  CallExpression(node) {
    const name = calleeName(node)
    const args = callArguments(node)
    if (name === 'cors') {
      const options = resolveObject(context, args[0])
      const origin = objectProperty(options, 'origin')
      const credentials = objectProperty(options, 'credentials')
      if (origin !== undefined && allowsAnyOrigin(origin) && credentials?.type === 'Literal' && field(credentials, 'value') === true) {
        report(context, node, 'CORS allows every origin with credentials: any site can make logged-in requests and read the answers.')
      }
      return
    }
    if (name !== 'setHeader' && name !== 'header' && name !== 'set') return
    const header = literalString(args[0])?.toLowerCase()
    if (header !== 'access-control-allow-origin' || !args[1]) return
    const value = args[1]
    const reflectsOrigin =
      (value.type === 'Literal' && field(value, 'value') === '*') ||
      (isTainted(context, value) && /origin/i.test(context.sourceCode.getText(value as never) + (value.type === 'Identifier' ? '' : ''))) ||
      (value.type === 'Identifier' && isTainted(context, value))
    if (!reflectsOrigin || isCheckedInFunction(context, node, value)) return
    const fn = enclosingFunction(context, node)
    const allowsCredentials = [...walk(fn)].some(
      (inner) => inner.type === 'CallExpression' && literalString(callArguments(inner)[0])?.toLowerCase() === 'access-control-allow-credentials',
    )
    if (allowsCredentials) report(context, node, 'Any origin is allowed (echoed or *) together with credentials: any site can read logged-in answers.')
  },
}))

/** `'*'`, `true`, or a callback that approves whatever origin it is given: any site may call. */
function allowsAnyOrigin(origin: AnyNode): boolean {
  if (origin.type === 'Literal') return field(origin, 'value') === '*' || field(origin, 'value') === true
  if (origin.type !== 'ArrowFunctionExpression' && origin.type !== 'FunctionExpression') return false
  const params = field<AnyNode[]>(origin, 'params') ?? []
  const first = params[0]?.type === 'Identifier' ? String(field(params[0], 'name')) : undefined
  const callback = params[1]?.type === 'Identifier' ? String(field(params[1], 'name')) : undefined
  let approvesAll = false
  for (const inner of walk(origin)) {
    // Any check (if, includes, ===) means the origin is looked at; assume it is checked.
    if (inner.type === 'IfStatement' || inner.type === 'ConditionalExpression' || inner.type === 'BinaryExpression' || inner.type === 'LogicalExpression') return false
    if (inner.type === 'CallExpression' && callee(inner) === callback) {
      const approval = callArguments(inner)[1]
      if (approval && ((approval.type === 'Literal' && field(approval, 'value') === true) || (approval.type === 'Identifier' && field(approval, 'name') === first))) approvesAll = true
    }
  }
  return approvesAll
}

function callee(call: AnyNode): string | undefined {
  const target = field<AnyNode>(call, 'callee')
  return target?.type === 'Identifier' ? String(field(target, 'name')) : undefined
}

// ------------------------------------------------------------------ postMessage (CWE-346), target=_blank (CWE-1022)

export const postMessageOrigin = rule((context) => ({
  CallExpression(node) {
    const name = calleeName(node)
    const args = callArguments(node)
    // Only windows receive messages from other origins; a Worker's or MessagePort's come from code
    // that already shares this origin.
    const target = calleeObjectPath(node)
    const isWindow = target === undefined || ['window', 'globalThis', 'top', 'parent', 'opener'].includes(target.at(-1) ?? '')
    if (name === 'addEventListener' && literalString(args[0]) === 'message' && isWindow) {
      const handler = args[1]
      if (handler && (handler.type === 'ArrowFunctionExpression' || handler.type === 'FunctionExpression') && !checksOrigin(handler)) {
        report(context, node, 'This message listener acts on messages from any window without checking event.origin.')
      }
    } else if (name === 'postMessage' && args.length >= 2 && literalString(args[1]) === '*' && carriesSecret(args[0])) {
      report(context, node, 'postMessage(..., "*") hands this data to whatever page is in that window, whoever loaded it.')
    }
  },
  AssignmentExpression(node) {
    const path = memberPath(field<AnyNode>(node, 'left'))
    if (path?.at(-1) !== 'onmessage' || (path.length > 1 && !['window', 'globalThis', 'top', 'parent'].includes(path.at(-2) ?? ''))) return
    const handler = field<AnyNode>(node, 'right')
    if (handler && (handler.type === 'ArrowFunctionExpression' || handler.type === 'FunctionExpression') && !checksOrigin(handler)) {
      report(context, node, 'This message handler acts on messages from any window without checking event.origin.')
    }
  },
}))

const SECRET_DATA_NAME = /token|secret|passw|session|auth|credential|apikey|api_key|jwt|cookie|private/i

/** Whether a message names something secret (`{ token }`, `session.id`, `authToken`). */
function carriesSecret(data: AnyNode | undefined): boolean {
  if (!data) return false
  for (const inner of walk(data)) {
    const name =
      inner.type === 'Identifier' ? String(field(inner, 'name')) : inner.type === 'Literal' && typeof field(inner, 'value') === 'string' ? String(field(inner, 'value')) : ''
    if (SECRET_DATA_NAME.test(name)) return true
  }
  return false
}

function checksOrigin(handler: AnyNode): boolean {
  for (const inner of walk(handler)) {
    if (inner.type === 'MemberExpression' && (propertyName(inner) === 'origin' || propertyName(inner) === 'source')) return true
  }
  return false
}

export const targetBlank = rule((context) => ({
  JSXOpeningElement(node) {
    const attributes = field<AnyNode[]>(node, 'attributes') ?? []
    const valueOf = (name: string) => {
      const attribute = attributes.find((attr) => attr.type === 'JSXAttribute' && field(field<AnyNode>(attr, 'name') ?? { type: 'x' }, 'name') === name)
      if (!attribute) return undefined
      const value = field<AnyNode>(attribute, 'value')
      if (value?.type === 'Literal') return String(field(value, 'value'))
      return '<expression>'
    }
    const target = valueOf('target')
    if (target !== '_blank') return
    const rel = valueOf('rel')
    const href = valueOf('href')
    if (href === undefined) return
    if (rel === undefined || (rel !== '<expression>' && !/noopener|noreferrer/i.test(rel))) {
      const targetAttribute = attributes.find((attr) => attr.type === 'JSXAttribute' && field(field<AnyNode>(attr, 'name') ?? { type: 'x' }, 'name') === 'target')
      context.report({
        node: node as never,
        message: 'target="_blank" without rel="noopener noreferrer" lets the opened page navigate this one (tabnabbing) in older browsers.',
        ...(rel === undefined && targetAttribute
          ? { suggest: [{ desc: 'Add rel="noopener noreferrer"', fix: (fixer: Rule.RuleFixer) => fixer.insertTextAfter(targetAttribute as never, ' rel="noopener noreferrer"') }] }
          : {}),
      })
    }
  },
  AssignmentExpression(node) {
    const left = field<AnyNode>(node, 'left')!
    if (propertyName(left) !== 'target' || literalString(field<AnyNode>(node, 'right')) !== '_blank') return
    const object = memberPath(field<AnyNode>(left, 'object'))?.join('.')
    const fn = enclosingFunction(context, node)
    const setsRel = [...walk(fn)].some(
      (inner) =>
        (inner.type === 'AssignmentExpression' && propertyName(field<AnyNode>(inner, 'left') ?? { type: 'x' }) === 'rel') ||
        (inner.type === 'CallExpression' && calleeName(inner) === 'setAttribute' && literalString(callArguments(inner)[0]) === 'rel'),
    )
    if (!setsRel) report(context, node, `${object ?? 'The link'}.target = "_blank" without rel="noopener" lets the opened page navigate this one.`)
  },
}))

// ------------------------------------------------------------------ logs (CWE-532)

const SECRET_LOG_NAME = /passw|pwd|secret|token|apikey|api_key|authorization|credential|creditcard|cardnumber|cvv|ssn|privatekey|private_key/i
/** `prettyToken`, `nextToken`: a lexer's tokens, not credentials (`accessToken`, `authToken` are). */
function isParserToken(name: string): boolean {
  const match = /^(\w+?)_?tokens?$/i.exec(name)
  return match !== null && !/access|auth|refresh|api|session|csrf|jwt|bearer|id|reset|secret|github|npm|slack|stripe|oauth/i.test(match[1]!)
}

const NEUTRALIZING_CALL = /^(Boolean|mask\w*|redact\w*|hash\w*|sha\d*|truncate\w*|last4|fingerprint)$/
const SECRET_ENV_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|PRIVATE|_KEY$|CREDENTIAL/

/** `const stripeKey = process.env.STRIPE_SECRET_KEY`: a variable holding a secret from the environment. */
function isSecretFromEnvironment(context: Rule.RuleContext, identifier: AnyNode): boolean {
  const variable = context.sourceCode.getScope(identifier as never).references.find((reference) => reference.identifier === identifier)?.resolved
  const definition = variable?.defs.find((candidate) => candidate.type === 'Variable')
  const path = definition ? memberPath(field<AnyNode>(definition.node as AnyNode, 'init')) : undefined
  return path !== undefined && path[0] === 'process' && path[1] === 'env' && SECRET_ENV_NAME.test(path[2] ?? '')
}

// Facts about a secret rather than the secret: `isTokenValid`, `passwordLength`, `hasApiKey`.
const HARMLESS_LOG_NAME = /^(is|has|should|can)[A-Z_]|(Length|Count|Valid|Exists|Expired|Type|Name|Id)$|^(length|count)$/
const LOGGER_OBJECTS = /^(console|logger|log|winston|pino|bunyan|debug)$/

export const secretsInLogs = rule((context) => ({
  CallExpression(node) {
    const objectPath = calleeObjectPath(node)
    const callee = field<AnyNode>(node, 'callee')
    const isLog = (objectPath !== undefined && LOGGER_OBJECTS.test(objectPath[0] ?? '')) || (callee?.type === 'Identifier' && /^(log|debug)$/.test(String(field(callee, 'name'))))
    if (!isLog) return
    for (const argument of callArguments(node)) {
      if (isConstant(context, argument)) continue
      for (const inner of walk(argument)) {
        const parent = field<AnyNode>(inner, 'parent')
        // `password.length` logs a number: only the property counts there.
        const isMemberObject = parent?.type === 'MemberExpression' && field(parent, 'object') === inner
        // Boolean(secret), mask(secret): what is logged is not the secret.
        if (parent?.type === 'CallExpression' && NEUTRALIZING_CALL.test(calleeName(parent) ?? '')) continue
        const name =
          inner.type === 'Identifier' && !isMemberObject
            ? String(field(inner, 'name'))
            : inner.type === 'MemberExpression'
              ? (propertyName(inner) ?? '')
              : inner.type === 'Property' && field<AnyNode>(inner, 'key')?.type === 'Identifier'
                ? String(field(field<AnyNode>(inner, 'key')!, 'name'))
                : ''
        const isSecretByName = name !== '' && SECRET_LOG_NAME.test(name) && !HARMLESS_LOG_NAME.test(name) && !isParserToken(name)
        if (isSecretByName || (inner.type === 'Identifier' && !isMemberObject && isSecretFromEnvironment(context, inner))) {
          report(context, node, `${name} is written to the log: logs are kept, shipped and read by many more people than the code.`)
          return
        }
      }
    }
  },
}))
