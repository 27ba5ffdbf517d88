// Airlock's rules through ESLint's RuleTester: for each rule, code that must be flagged and safe
// look-alikes that must not be.
import { RuleTester } from 'eslint'
import { describe, it } from 'vitest'
import { AIRLOCK_RULES } from '../../src/core/scan'

RuleTester.describe = describe
RuleTester.it = it
RuleTester.itOnly = it.only

const tester = new RuleTester({
  languageOptions: { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
})

type Case = string

function check(name: string, valid: Case[], invalid: Case[]): void {
  tester.run(name, AIRLOCK_RULES[name]!, {
    valid: valid.map((code) => ({ code })),
    invalid: invalid.map((code) => ({ code, errors: 1 })),
  })
}

describe('Airlock rules', () => {
  check(
    'xss-sink',
    [
      "el.innerHTML = '<b>Loading…</b>'",
      'el.textContent = location.hash',
      "const html = '<p>' + 'fixed' + '</p>'; el.innerHTML = html",
      'const C = () => <div>{name}</div>',
      "a.href = '/home'",
      "res.send({ ok: true, q: req.query.q })",
      "res.send('<p>' + escapeHtml(req.query.q) + '</p>')",
    ],
    [
      "const name = req.query.name; const html = '<p>' + name + '</p>'; el.innerHTML = html",
      'el.outerHTML = data',
      "el.insertAdjacentHTML('beforeend', `<li>${item}</li>`)",
      'document.write(location.hash)',
      'const C = ({ html }) => <div dangerouslySetInnerHTML={{ __html: html }} />',
      "$('#out').html(message)",
      "app.get('/', (req, res) => res.send('<h1>' + req.query.q + '</h1>'))",
      'const url = new URLSearchParams(location.search).get("next"); link.href = url',
      '<a href="javascript:alert(1)">x</a>',
    ],
  )
  check(
    'sql-injection',
    [
      "db.query('SELECT * FROM users WHERE id = $1', [req.params.id])",
      "db.query(`SELECT * FROM users WHERE id = ?`, [id])",
      "cache.get(prefix + key)",
      "exec('ls ' + dir)",
    ],
    [
      "db.query('SELECT * FROM users WHERE id = ' + req.params.id)",
      'pool.query(`SELECT * FROM items WHERE name = \'${name}\'`)',
      "const sql = `DELETE FROM posts WHERE id = ${id}`; await connection.execute(sql)",
      "knex.raw('select * from users where name = ' + name)",
    ],
  )
  check(
    'nosql-injection',
    ['User.find({ username: String(req.body.username) })', "db.users.find({ $where: 'this.age > 18' })", 'User.findById(req.params.id)'],
    ["db.users.find({ $where: 'this.name == \"' + name + '\"' })", 'User.findOne({ username: req.body.username, password: req.body.password })', 'collection.find(req.query)'],
  )
  check(
    'command-injection',
    [
      "import { execFile } from 'child_process'; execFile('git', ['status'])",
      "import { exec } from 'child_process'; exec('ls -la')",
      'const m = /a/.exec(text)',
      "spawn('ls', [dir])",
    ],
    [
      "import { exec } from 'child_process'; exec('ls ' + req.query.dir)",
      "const cp = require('child_process'); cp.execSync(`convert ${file} out.png`)",
      "spawn(cmd, { shell: true })",
    ],
  )
  check(
    'code-injection',
    ["eval('1 + 1')", 'setTimeout(() => run(), 10)', "new Function('a', 'return a')"],
    ['eval(req.body.code)', "setTimeout('tick()', 10)", 'new Function(body)', 'vm.runInNewContext(code, {})'],
  )
  check(
    'path-traversal',
    [
      "fs.readFile(path.join(__dirname, 'static', 'index.html'), cb)",
      "const p = path.resolve(base, req.params.name); if (!p.startsWith(base)) throw new Error('no'); fs.readFile(p, cb)",
      "res.sendFile(req.params.name, { root: 'public' })",
      "fs.readFile(path.join(dir, path.basename(req.params.name)), cb)",
    ],
    [
      "fs.readFile(path.join(__dirname, 'uploads', req.params.name), cb)",
      'res.sendFile(req.query.file)',
      "const name = req.query.name; fs.createReadStream('./files/' + name)",
    ],
  )
  check(
    'ssrf',
    ["fetch('https://api.example.com/items')", 'fetch(`https://api.example.com/users/${req.params.id}`)', 'function h(req) { const url = req.query.url; if (!ALLOWED.includes(new URL(url).hostname)) return; fetch(url) }'],
    ['fetch(req.query.url)', 'axios.get(req.body.target)', 'const target = req.query.u; http.get(target, cb)'],
  )
  check(
    'open-redirect',
    ["res.redirect('/home')", "function h(req, res) { const next = req.query.next; if (!['/a', '/b'].includes(next)) return; res.redirect(next) }", "res.redirect('/pages/' + req.query.page)"],
    [
      'res.redirect(req.query.next)',
      // '/' + '/evil.example' is '//evil.example': another site.
      "res.redirect('/' + req.query.page)", "location.href = new URLSearchParams(location.search).get('returnTo')", 'window.location = req.query.to',
    ],
  )
  check(
    'hardcoded-secret',
    [
      'const apiKey = process.env.API_KEY',
      "const apiKey = 'your-api-key-here'",
      "const name = 'AKIA is a prefix'",
      "const password = ''",
      '// set your api key here: const apiKey = process.env.API_KEY',
    ],
    [
      "const k = 'AKIAIOSFODNN7EXAMPLE'",
      "const token = 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789'",
      "const stripe = require('stripe')('sk_live_4eC39HqLyjWDarjtT1zdp7dc')",
      "const apiKey = 'f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4'",
      "const url = 'postgres://admin:S3cr3tPass@db.internal:5432/app'",
      "const key = `-----BEGIN RSA PRIVATE KEY-----\nMIIE...`",
      '// token: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\nrun()',
    ],
  )
  check(
    'weak-password-hash',
    ["crypto.createHash('sha256').update(fileContents).digest('hex')", "crypto.createHash('md5').update(body).digest('hex')"],
    ["crypto.createHash('md5').update(password).digest('hex')", "function hashPassword(p) { return crypto.createHash('sha1').update(p).digest('hex') }"],
  )
  check(
    'weak-cipher',
    ["crypto.createCipheriv('aes-256-gcm', key, iv)"],
    ["crypto.createCipher('aes192', password)", "crypto.createCipheriv('aes-128-ecb', key, null)", "crypto.createCipheriv('des-ede3-cbc', key, iv)"],
  )
  check(
    'insecure-random',
    ['const index = Math.floor(Math.random() * items.length)', 'const jitter = Math.random() * 100'],
    ['const token = Math.random().toString(36).slice(2)', 'function generateSessionId() { return Math.random().toString(16) }', 'const resetCode = Math.floor(Math.random() * 1e6)'],
  )
  check(
    'tls-disabled',
    ['https.request({ rejectUnauthorized: true })', "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1'"],
    ['new https.Agent({ rejectUnauthorized: false })', "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'"],
  )
  check(
    'jwt-verification',
    ["jwt.verify(token, secret, { algorithms: ['HS256'] })"],
    ['const user = jwt.decode(token)', 'jwt.verify(token, secret)', "jwt.verify(token, secret, { algorithms: ['none', 'HS256'] })"],
  )
  check(
    'insecure-cookie',
    ["res.cookie('session', id, { httpOnly: true, secure: true, sameSite: 'strict' })", "document.cookie = 'theme=dark'"],
    ["res.cookie('session', id)", "res.cookie('session', id, { httpOnly: false, secure: true, sameSite: 'lax' })", "document.cookie = 'token=' + token", 'app.use(session({ secret: s, cookie: { secure: false } }))'],
  )
  check(
    'permissive-cors',
    ["app.use(cors({ origin: 'https://app.example.com', credentials: true }))", "app.use(cors({ origin: '*' }))"],
    [
      "app.use(cors({ origin: '*', credentials: true }))",
      "app.use(cors({ origin: true, credentials: true }))",
      "function h(req, res) { res.setHeader('Access-Control-Allow-Origin', req.headers.origin); res.setHeader('Access-Control-Allow-Credentials', 'true') }",
    ],
  )
  check(
    'insecure-deserialization',
    ['JSON.parse(req.body.data)', "serialize.unserialize('{}')"],
    ['serialize.unserialize(req.body.data)', "eval('(' + req.body.json + ')')"],
  )
  check('xml-external-entities', ['libxmljs.parseXml(xml, { noent: false })', 'libxmljs.parseXml(xml)'], ['libxmljs.parseXml(xml, { noent: true })'])
  check(
    'postmessage-origin',
    [
      "window.addEventListener('message', (event) => { if (event.origin !== 'https://a.example') return; run(event.data) })",
      "parent.postMessage(data, 'https://a.example')",
      // A Worker's messages come from code of this origin.
      "worker.addEventListener('message', (event) => show(event.data))",
      'port.onmessage = (event) => show(event.data)',
    ],
    ["window.addEventListener('message', (event) => { run(event.data) })", "parent.postMessage(token, '*')", 'window.onmessage = function (e) { show(e.data) }'],
  )
  check(
    'target-blank',
    ['const L = () => <a href={url} target="_blank" rel="noopener noreferrer">x</a>', 'const L = () => <a href={url}>x</a>'],
    ['const L = () => <a href={url} target="_blank">x</a>', "const a = document.createElement('a'); a.href = url; a.target = '_blank'"],
  )
  check(
    'prototype-pollution',
    [
      "function merge(t, s) { for (const key in s) { if (key === '__proto__' || key === 'constructor') continue; if (typeof s[key] === 'object') merge(t[key], s[key]); else t[key] = s[key] } }",
      'const copy = { ...source }',
    ],
    [
      "function merge(target, source) { for (const key in source) { if (typeof source[key] === 'object') { target[key] = target[key] || {}; merge(target[key], source[key]) } else { target[key] = source[key] } } return target }",
      'config[req.body.section][req.body.key] = req.body.value',
      "obj['__proto__'] = payload",
    ],
  )
  check('redos', ['const ok = /^[a-z0-9._-]+@[a-z0-9.-]+$/i', "new RegExp('^\\\\d+$')"], ['const bad = /^(a+)+$/', 'const words = /(\\w+\\s?)*$/', "new RegExp('(' + req.query.p + ')')"])
  check(
    'secrets-in-logs',
    ["console.log('user logged in', user.id)", 'console.log(prettyToken(token.type))', "console.log('password length', password.length)", "console.log('token valid', isTokenValid)"],
    ["console.log('login', username, password)", 'logger.info({ token })', "console.log('refresh', refreshToken)", 'console.log(req.headers.authorization)', 'console.log(process.env.STRIPE_SECRET_KEY)'],
  )
})
