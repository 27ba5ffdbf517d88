// Where JSON text goes wrong. `JSON.parse` says what is wrong but, depending on the engine and the
// error, not where (V8's "Unexpected token" messages carry no position; Safari's never do), so the
// policy editor would have nothing to point at. This scanner follows RFC 8259 and finds the offset.

type Expected = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end'

const LITERALS = ['true', 'false', 'null'] as const

/**
 * The UTF-16 offset of the first JSON syntax error in `text` (`text.length` when it ends too
 * early), or null when `text` is valid JSON. Iterative, so deep nesting cannot overflow the stack.
 */
export function findJsonSyntaxErrorOffset(text: string): number | null {
  const containers: ('array' | 'object')[] = []
  let expected: Expected = 'value'
  let index = 0
  const afterValue = (): Expected => (containers.length === 0 ? 'end' : 'comma-or-close')

  for (;;) {
    index = skipWhitespace(text, index)
    if (index >= text.length) return expected === 'end' ? null : text.length
    const char = text[index]!
    switch (expected) {
      case 'value':
      case 'value-or-close': {
        if (expected === 'value-or-close' && char === ']') {
          containers.pop()
          index += 1
          expected = afterValue()
        } else if (char === '{' || char === '[') {
          containers.push(char === '{' ? 'object' : 'array')
          index += 1
          expected = char === '{' ? 'key-or-close' : 'value-or-close'
        } else {
          const end = scanScalar(text, index)
          if (end < 0) return -end - 1
          index = end
          expected = afterValue()
        }
        break
      }
      case 'key':
      case 'key-or-close': {
        if (expected === 'key-or-close' && char === '}') {
          containers.pop()
          index += 1
          expected = afterValue()
        } else if (char === '"') {
          const end = scanString(text, index)
          if (end < 0) return -end - 1
          index = end
          expected = 'colon'
        } else {
          return index
        }
        break
      }
      case 'colon':
        if (char !== ':') return index
        index += 1
        expected = 'value'
        break
      case 'comma-or-close': {
        const container = containers[containers.length - 1]
        if (char === ',') {
          expected = container === 'array' ? 'value' : 'key'
        } else if (char === (container === 'array' ? ']' : '}')) {
          containers.pop()
          expected = afterValue()
        } else {
          return index
        }
        index += 1
        break
      }
      case 'end':
        return index
    }
  }
}

/** 1-based line and column (UTF-16 units, as editors count) of `offset`; "\r\n", "\n" and "\r" end lines. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let index = 0; index < offset && index < text.length; index++) {
    const char = text[index]
    if (char === '\n' || (char === '\r' && text[index + 1] !== '\n')) {
      line += 1
      lineStart = index + 1
    }
  }
  return { line, column: offset - lineStart + 1 }
}

function skipWhitespace(text: string, index: number): number {
  while (index < text.length && ' \t\n\r'.includes(text[index]!)) index += 1
  return index
}

// The scanners return the offset just after the token, or `-(errorOffset + 1)` on an error.

function scanScalar(text: string, index: number): number {
  const char = text[index]!
  if (char === '"') return scanString(text, index)
  if (char === '-' || isDigit(char)) return scanNumber(text, index)
  for (const literal of LITERALS) {
    if (literal[0] !== char) continue
    for (let offset = 1; offset < literal.length; offset++) {
      if (text[index + offset] !== literal[offset]) return -(index + offset) - 1
    }
    return index + literal.length
  }
  return -index - 1
}

function scanString(text: string, start: number): number {
  let index = start + 1
  while (index < text.length) {
    const code = text.charCodeAt(index)
    if (code === 0x22) return index + 1 // closing quote
    if (code < 0x20) return -index - 1 // raw control characters must be escaped
    if (code === 0x5c) {
      const escape = text[index + 1]
      if (escape === 'u') {
        for (let offset = 2; offset < 6; offset++) {
          if (!/^[0-9a-fA-F]$/.test(text[index + offset] ?? '')) return -(index + offset) - 1
        }
        index += 6
        continue
      }
      if (escape === undefined || !'"\\/bfnrt'.includes(escape)) return -(index + 1) - 1
      index += 2
      continue
    }
    index += 1
  }
  return -text.length - 1
}

function scanNumber(text: string, start: number): number {
  let index = start
  if (text[index] === '-') index += 1
  if (text[index] === '0') {
    index += 1
  } else if (isDigit(text[index])) {
    index = skipDigits(text, index)
  } else {
    return -index - 1
  }
  if (text[index] === '.') {
    if (!isDigit(text[index + 1])) return -(index + 1) - 1
    index = skipDigits(text, index + 1)
  }
  if (text[index] === 'e' || text[index] === 'E') {
    index += 1
    if (text[index] === '+' || text[index] === '-') index += 1
    if (!isDigit(text[index])) return -index - 1
    index = skipDigits(text, index)
  }
  return index
}

function skipDigits(text: string, index: number): number {
  while (isDigit(text[index])) index += 1
  return index
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9'
}
