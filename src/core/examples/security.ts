// Examples of what the scanner catches: each shows the unsafe pattern, what it does when it runs,
// and the safe rewrite (which the scanner leaves alone).
import type { Example } from './example'

export const XSS_SINK: Example = {
  id: 'xss-sink',
  title: 'An XSS sink the scanner catches',
  summary: 'A greeting written with innerHTML from a URL parameter, and the textContent rewrite.',
  explanation: `Look at showGreeting: it builds HTML by joining strings with the visitor's name and assigns it to innerHTML. The name comes from the page's URL, so anyone can send a link whose "name" is HTML with a script in it, and it runs in the visitor's page with their cookies and session (cross-site scripting, CWE-79).

The scanner flags the innerHTML line as airlock/xss-sink (CWE-79, high) before anything runs: the editor underlines it, the Review checklist explains it with an example attack and the fix, and the Approve run dialog lists it. The sandbox has no page, so the code here writes into a stand-in element; the Output shows the HTML a real page would have received, with the attacker's onerror handler in it. The run ends "Finished": nothing here can reach a real page.

The safe rewrite below it uses textContent, which shows the name as text and never as HTML; the scanner does not flag it. Try: change textContent to innerHTML in showGreetingSafely and watch a second finding appear.`,
  files: {
    'main.js': `// An assistant wrote this to greet the visitor by the name in the page's URL.
function showGreeting(element, name) {
  element.innerHTML = '<p>Hello, ' + name + '!</p>'
}

// The sandbox has no page: a stand-in element records what would be written into it.
const element = { innerHTML: '', textContent: '' }
const query = '?name=<img src=x onerror="alert(document.cookie)">'
const name = new URLSearchParams(query).get('name')

showGreeting(element, name)
console.log('innerHTML:', element.innerHTML)

// Safe rewrite: text is never parsed as HTML.
function showGreetingSafely(element, name) {
  element.textContent = 'Hello, ' + name + '!'
}
showGreetingSafely(element, name)
console.log('textContent:', element.textContent)
`,
  },
  entry: 'main.js',
  language: 'js',
}

export const HARDCODED_SECRET: Example = {
  id: 'hardcoded-secret',
  title: 'A hard-coded secret',
  summary: 'A payment API key pasted into the code, and reading it from the environment instead.',
  explanation: `Look at the first constant: a live payment key written straight into the code. Anyone who can read the file (a repository, a pasted snippet, a screenshot, the built JavaScript in a browser) can use the key and spend on the account. Generated code often does this because the prompt contained the key, or it invents one that looks real.

The scanner flags it as airlock/hardcoded-secret (CWE-798, critical) by its format (Stripe's sk_live_ prefix here; also AWS, GitHub, Slack, Google, OpenAI and others, private keys and high-entropy values under secret-sounding names). Reports only ever show the first characters of a secret. It also flags the console.log that prints part of the key as airlock/secrets-in-logs (CWE-532, medium): logs are read by many more people than code. The key in this example is fake.

The safe rewrite reads the key from the environment (process.env), where deployment tools keep secrets out of the code. The sandbox's environment is empty, so the Output says the key is not set; the run still ends "Finished". Try: remove the constant and watch the finding go away.`,
  files: {
    'main.js': `// An assistant pasted the key into the code (this one is fake).
const STRIPE_SECRET_KEY = 'sk_live_EXAMPLEfakeKEY0000notREAL0000abcd'

function authorizationHeader(key) {
  return { Authorization: 'Bearer ' + key }
}
console.log('A header built from the constant starts with:', authorizationHeader(STRIPE_SECRET_KEY).Authorization.slice(0, 15))

// Safe rewrite: the key comes from the environment and never appears in the code.
const keyFromEnvironment = process.env.STRIPE_SECRET_KEY
if (keyFromEnvironment === undefined) {
  console.log('STRIPE_SECRET_KEY is not set: nothing to send (the sandbox has an empty environment).')
} else {
  console.log('Using the key from the environment.')
}
`,
  },
  entry: 'main.js',
  language: 'js',
}

export const SQL_INJECTION: Example = {
  id: 'sql-injection',
  title: 'A SQL query built from strings, and its safe rewrite',
  summary: 'Search text pasted into SQL turns a lookup into “every user”; a placeholder fixes it.',
  explanation: `Look at findUser: the visitor's search text is pasted into the SQL between quotes. Text like x' OR '1'='1 closes the quote and adds a condition that is always true, so the query returns every user; other text can delete tables or read passwords (SQL injection, CWE-89).

The scanner flags the concatenated query as airlock/sql-injection (CWE-89, critical). The sandbox has no database, so the stand-in client here prints the SQL it would send: the Output shows the WHERE clause the attacker wrote, and the run ends "Finished".

The safe rewrite passes the text as a parameter (the ? placeholder): the driver sends it separately from the SQL, so it can only ever be a value. The scanner does not flag it. Try: rewrite the safe call with a template literal (\`... name = '\${name}'\`) and watch the finding come back.`,
  files: {
    'main.js': `// A stand-in for a database client: it prints the SQL it would send.
const db = {
  query(sql, params = []) {
    console.log('SQL:', sql)
    if (params.length > 0) console.log('parameters:', JSON.stringify(params))
  },
}

// Unsafe: the input becomes part of the SQL text.
function findUser(name) {
  return db.query("SELECT * FROM users WHERE name = '" + name + "'")
}

// Safe: a placeholder; the value travels separately and is never read as SQL.
function findUserSafely(name) {
  return db.query('SELECT * FROM users WHERE name = ?', [name])
}

// What a visitor typed into the search box.
const typed = "x' OR '1'='1"
findUser(typed)
findUserSafely(typed)
`,
  },
  entry: 'main.js',
  language: 'js',
}

export const PROTOTYPE_POLLUTION: Example = {
  id: 'prototype-pollution',
  title: 'A prototype-pollution merge',
  summary: 'A deep merge of JSON with a "__proto__" key makes every object an admin.',
  explanation: `Look at merge: it copies every key of the source into the target, recursively, without checking the key. JSON from a request can contain the key "__proto__"; target["__proto__"] is Object.prototype, the object every plain object inherits from, so the merge writes isAdmin: true onto all of them (prototype pollution, CWE-1321). Checks like if (user.isAdmin) then pass for everyone.

The scanner flags the recursive merge as airlock/prototype-pollution (CWE-1321, high). The run shows the effect: a brand-new empty object reports isAdmin true. The pollution stays inside this run's sandbox, which is thrown away when the run ends "Finished".

The safe rewrite skips "__proto__", "constructor" and "prototype" and copies only the source's own keys; the scanner leaves it alone, and after it the new object has no isAdmin. Other safe choices: Object.create(null) targets, a Map, or a schema validator that drops unknown keys.`,
  files: {
    'main.js': `// A deep merge, as assistants often write it, used to apply a user's saved settings.
function merge(target, source) {
  for (const key in source) {
    if (typeof source[key] === 'object' && source[key] !== null) {
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {}
      merge(target[key], source[key])
    } else {
      target[key] = source[key]
    }
  }
  return target
}

// Settings arrive as JSON in a request body.
const body = '{"theme": "dark", "__proto__": {"isAdmin": true}}'
const settings = merge({}, JSON.parse(body))
console.log('settings.theme:', settings.theme)
console.log('a new, empty object is admin:', {}.isAdmin)

// Clean up, then the safe rewrite: keys that reach prototypes are skipped.
delete Object.prototype.isAdmin
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])
function safeMerge(target, source) {
  for (const key of Object.keys(source)) {
    if (FORBIDDEN_KEYS.has(key)) continue
    const value = source[key]
    if (typeof value === 'object' && value !== null) {
      const inner = Object.hasOwn(target, key) && typeof target[key] === 'object' && target[key] !== null ? target[key] : {}
      target[key] = safeMerge(inner, value)
    } else {
      target[key] = value
    }
  }
  return target
}
const safeSettings = safeMerge({}, JSON.parse(body))
console.log('safe merge, settings.theme:', safeSettings.theme)
console.log('a new, empty object is admin:', {}.isAdmin)
`,
  },
  entry: 'main.js',
  language: 'js',
}

export const REDOS: Example = {
  id: 'redos',
  title: 'A ReDoS regular expression',
  summary: 'A name check whose nested quantifier takes exponential time on input that almost matches.',
  explanation: `Look at the regular expression NAME: a group with a + inside, repeated by *. When the input almost matches (many letters, then one character that is not allowed), the regex engine tries every way of splitting the letters between the inner and the outer repetition, and each extra character doubles the work. One request with a long enough string can keep a server busy for minutes (regular-expression denial of service, ReDoS, CWE-1333).

The scanner flags it as airlock/redos (CWE-1333, medium), after redos-detector confirms the pattern can blow up. The run times the check on growing inputs: the work doubles with each character, so each step of two characters takes about four times as long (the first, short ones are too quick to measure well). The run ends "Finished" after about two seconds.

The safe rewrite (SAFE_NAME) matches the same names with no ambiguity: a word, then any number of (one space, a word). It answers at once for every length, and the scanner leaves it alone. Try: add 30 to the list of lengths and run again: that one check would take over a minute, so the run ends "Stopped: time limit".`,
  files: {
    'main.js': `// An assistant's check for a name of words separated by single spaces.
const NAME = /^([a-zA-Z]+\\s?)*$/

for (const length of [18, 20, 22, 24]) {
  const input = 'a'.repeat(length) + '!'
  const started = performance.now()
  NAME.test(input)
  console.log(length + ' letters and a "!": ' + (performance.now() - started).toFixed(1) + ' ms')
}

// Safe rewrite: a word, then (one space, a word) any number of times. No way to split it twice.
const SAFE_NAME = /^[a-zA-Z]+(?: [a-zA-Z]+)*$/
const started = performance.now()
const isName = SAFE_NAME.test('a'.repeat(100_000) + '!')
console.log('safe pattern, 100000 letters and a "!":', isName, 'in under 100 ms:', performance.now() - started < 100)
`,
  },
  entry: 'main.js',
  language: 'js',
}

export const COMMAND_INJECTION: Example = {
  id: 'command-injection',
  title: 'A shell command built from input (child_process)',
  summary: 'exec() with a folder name from the visitor; the sandbox has no child_process at all.',
  explanation: `Look at listFolder: it builds a shell command by joining "ls -la " with a folder name from the visitor. The shell reads ; && | and $( ) in that name as more commands, so "uploads; cat ~/.ssh/id_rsa" also prints a private key (OS command injection, CWE-78).

The scanner flags the exec call as airlock/command-injection (CWE-78, critical). When you run it, the very first require fails: the sandbox does not provide child_process (nor http, net, worker_threads: anything that reaches the machine), so the run ends "Error" with Node's "Cannot find module" error (code MODULE_NOT_FOUND), which says so. Nothing on your machine was ever in reach.

The safe rewrite, further down, uses execFile with the arguments as an array: no shell reads them, so a name with ; is just a strange folder name. It also checks the name against a simple pattern first. The scanner does not flag it; it would run in Node, not here.`,
  files: {
    'main.js': `// An assistant's helper to list a folder the visitor names.
const { exec, execFile } = require('child_process')

function listFolder(folder) {
  exec('ls -la ' + folder, (error, stdout) => {
    if (error) throw error
    console.log(stdout)
  })
}
listFolder('uploads; cat ~/.ssh/id_rsa')

// Safe rewrite: no shell, arguments as an array, and the name checked first.
function listFolderSafely(folder) {
  if (!/^[\\w-]+$/.test(folder)) throw new Error('Not a folder name: ' + folder)
  execFile('ls', ['-la', folder], (error, stdout) => {
    if (error) throw error
    console.log(stdout)
  })
}
listFolderSafely('uploads')
`,
  },
  entry: 'main.js',
  language: 'js',
}

export const WEAK_PASSWORD_HASH: Example = {
  id: 'weak-password-hash',
  title: 'MD5 for passwords, and a salted slow hash',
  summary: 'An unsalted MD5 password hash falls to a lookup table; scrypt with a salt does not.',
  explanation: `Look at hashPassword: it stores MD5(password). MD5 is fast (billions per second on one graphics card) and unsalted, so the same password always gives the same hash: an attacker with a stolen table of hashes looks them up in a precomputed list and gets most passwords back at once (CWE-916). The Output shows exactly that with a list of four common passwords.

The scanner flags the MD5 of a password as airlock/weak-password-hash (CWE-916, high). MD5 itself still runs in the sandbox (Node's crypto.createHash is provided), so the run ends "Finished".

The safe rewrite uses crypto.scryptSync with a random salt per password: slow on purpose, and two people with the same password get different hashes. The sandbox's crypto has no scrypt (only hashes, HMAC and random numbers), so the code checks for it and says so instead of running it; in Node it runs as written. The scanner does not flag it.`,
  files: {
    'main.js': `const crypto = require('crypto')

// An assistant's password hashing: MD5, no salt.
function hashPassword(password) {
  return crypto.createHash('md5').update(password).digest('hex')
}
const stored = hashPassword('sunshine')
console.log('stored hash:', stored)

// An attacker's precomputed list of common passwords is enough to reverse it.
const common = ['123456', 'password', 'qwerty', 'sunshine']
const lookup = new Map(common.map((guess) => [hashPassword(guess), guess]))
console.log('found in the lookup table:', lookup.get(stored))

// Safe rewrite: a random salt per password and a deliberately slow function (scrypt).
function hashPasswordSafely(password) {
  const salt = crypto.randomBytes(16)
  const key = crypto.scryptSync(password, salt, 64)
  return salt.toString('hex') + ':' + key.toString('hex')
}
if (typeof crypto.scryptSync === 'function') {
  console.log('salted scrypt hash:', hashPasswordSafely('sunshine'))
} else {
  console.log('This sandbox has no crypto.scryptSync; in Node, hashPasswordSafely gives a different hash every time.')
}
`,
  },
  entry: 'main.js',
  language: 'js',
}

export const EVAL_OF_INPUT: Example = {
  id: 'eval-input',
  title: 'eval of input',
  summary: 'A calculator that evals what the visitor typed runs any code; a small parser does not.',
  explanation: `Look at calculate: it passes the visitor's text to eval. That works for "2 + 3 * 4", but eval runs any JavaScript, so the second input writes a file with the program's own require (code injection, CWE-94). On a server it could read secrets or start programs.

The scanner flags eval of a value that is not a constant as airlock/code-injection (CWE-94, critical). In the sandbox the injected code can only write into the sandbox's memory: after the run, the region "Files the code wrote" lists hacked.txt, and nothing was written to your disk. The run ends "Finished".

The safe rewrite is a small parser that understands numbers, + - * / and parentheses, and nothing else: the same malicious text is refused with a SyntaxError. The scanner does not flag it. Try: give calculateSafely "(1 + 2) * -3".`,
  files: {
    'main.js': `// A calculator an assistant wrote: it evaluates what the visitor typed.
function calculate(expression) {
  return eval(expression)
}
console.log('2 + 3 * 4 =', calculate('2 + 3 * 4'))

// But "what the visitor typed" can be any code at all.
const typed = "require('fs').writeFileSync('hacked.txt', 'any code ran here'), 'wrote hacked.txt'"
console.log('result:', calculate(typed))

// Safe rewrite: parse arithmetic; everything else is a syntax error.
function calculateSafely(expression) {
  const tokens = expression.match(/\\d+(?:\\.\\d+)?|\\S/g) ?? []
  let position = 0
  const peek = () => tokens[position]
  const take = () => tokens[position++]
  function primary() {
    const token = take()
    if (token === '(') {
      const value = sum()
      if (take() !== ')') throw new SyntaxError('expected )')
      return value
    }
    if (token === '-') return -primary()
    if (token !== undefined && /^\\d/.test(token)) return Number(token)
    throw new SyntaxError('unexpected ' + (token ?? 'end of input'))
  }
  function product() {
    let value = primary()
    while (peek() === '*' || peek() === '/') value = take() === '*' ? value * primary() : value / primary()
    return value
  }
  function sum() {
    let value = product()
    while (peek() === '+' || peek() === '-') value = take() === '+' ? value + product() : value - product()
    return value
  }
  const value = sum()
  if (position < tokens.length) throw new SyntaxError('unexpected ' + peek())
  return value
}
console.log('safely, 2 + 3 * 4 =', calculateSafely('2 + 3 * 4'))
try {
  calculateSafely(typed)
} catch (error) {
  console.log('safely refused:', error.name + ': ' + error.message)
}
`,
  },
  entry: 'main.js',
  language: 'js',
}
