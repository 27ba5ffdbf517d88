/**
 * Recognises secrets written into code: well-known token formats (cloud keys, source-host tokens,
 * payment keys, private keys, signed tokens, URLs with passwords) and, for values stored under a
 * secret-sounding name, high-entropy strings. Reports never carry the secret itself: `maskSecret`.
 */

export interface SecretMatch {
  /** What it looks like, for the message: "AWS access key id", "GitHub token", ... */
  readonly kind: string
  readonly value: string
}

const FORMATS: readonly { readonly kind: string; readonly pattern: RegExp }[] = [
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { kind: 'GitHub token', pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b/ },
  { kind: 'GitHub token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}\b/ },
  { kind: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { kind: 'Stripe secret key', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b/ },
  { kind: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { kind: 'Slack webhook URL', pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]{20,}/ },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'OpenAI API key', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b/ },
  { kind: 'Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{32,}\b/ },
  { kind: 'SendGrid API key', pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/ },
  { kind: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: 'Twilio API key', pattern: /\bSK[0-9a-f]{32}\b/ },
  { kind: 'private key', pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY( BLOCK)?-----/ },
  { kind: 'signed token (JWT)', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/ },
]

// scheme://user:password@host with a real-looking password (not a ${placeholder} or "password").
const URL_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:([^\s@/]+)@[^\s/]+/i

const SECRET_NAME = /secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|auth[_-]?key|signing[_-]?key|credential/i
const PASSWORD_NAME = /^(?:.*[_-])?(?:pass(?:word|wd)?|pwd|db_?pass\w*)$/i
const PLACEHOLDER = /your[-_ ]|<[^>]*>|\$\{|\{\{|x{4,}|\*{3,}|\.{3}|changeme|change[-_ ]me|example|placeholder|dummy|redacted|replace|todo|^test|^secret$|^password$|^token$|insert|here$/i

function shannonEntropy(text: string): number {
  const counts = new Map<string, number>()
  for (const character of text) counts.set(character, (counts.get(character) ?? 0) + 1)
  let entropy = 0
  for (const count of counts.values()) {
    const probability = count / text.length
    entropy -= probability * Math.log2(probability)
  }
  return entropy
}

/** A secret in `text`, a string literal stored under `name` (if known). */
export function findSecret(text: string, name: string | undefined): SecretMatch | undefined {
  for (const { kind, pattern } of FORMATS) {
    const match = pattern.exec(text)
    if (match) return { kind, value: match[0] }
  }
  const url = URL_WITH_PASSWORD.exec(text)
  if (url && !PLACEHOLDER.test(url[1]!) && url[1]!.length >= 4) return { kind: 'URL with a password', value: url[0] }
  if (name === undefined || PLACEHOLDER.test(text) || /\s/.test(text.trim())) return undefined
  if (PASSWORD_NAME.test(name) && text.length >= 8 && shannonEntropy(text) >= 2.5) return { kind: 'hard-coded password', value: text }
  if (SECRET_NAME.test(name) && text.length >= 16 && shannonEntropy(text) >= 3.5) return { kind: 'secret key', value: text }
  return undefined
}

/** `AKIA…(20 characters)`: enough to find it, never enough to use it. */
export function maskSecret(value: string): string {
  const visible = value.startsWith('-----BEGIN') ? value.slice(0, 16) : value.slice(0, Math.min(4, Math.floor(value.length / 4)))
  return `${visible}… (${value.length} characters)`
}
