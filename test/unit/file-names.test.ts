import { describe, expect, it } from 'vitest'
import { checkFilePath, checkNewFilePath } from '../../src/core/project/file-names'

describe('project file names', () => {
  it.each(['main.js', 'lib/util.ts', 'src/a b/c.json', 'données/ü.mjs', '.env', 'a..b.js', '__proto__', 'constructor/x.js'])('accepts %j', (name) => {
    expect(checkFilePath(name)).toEqual({ ok: true, value: name })
  })

  it.each([
    ['', 'A file needs a name.'],
    ['   ', 'A file needs a name.'],
    [' main.js', 'A file name cannot start or end with spaces.'],
    ['../x.js', 'A file name cannot contain . or .. as a folder: files live inside the project.'],
    ['lib/../../x.js', 'A file name cannot contain . or .. as a folder: files live inside the project.'],
    ['./main.js', 'A file name cannot contain . or .. as a folder: files live inside the project.'],
    ['/etc/passwd', 'A file name is relative to the project: it cannot start with /.'],
    ['lib\\x.js', 'Use / between folder names, not \\.'],
    ['lib//x.js', 'A file name cannot have an empty folder name (// or a trailing /).'],
    ['lib/', 'A file name cannot have an empty folder name (// or a trailing /).'],
    ['a\nb.js', 'A file name cannot contain control characters or line breaks.'],
    ['a\u0000b.js', 'A file name cannot contain control characters or line breaks.'],
    ['x'.repeat(1025), 'A file name can be at most 1024 characters long.'],
  ])('refuses %j', (name, message) => {
    expect(checkFilePath(name)).toEqual({ ok: false, error: message })
  })

  it('refuses a name another file has, or one that would make a file a folder or the other way round', () => {
    const existing = ['main.js', 'lib/util.js']
    expect(checkNewFilePath('main.js', existing)).toEqual({ ok: false, error: 'There is already a file named main.js.' })
    expect(checkNewFilePath('lib', existing)).toEqual({ ok: false, error: 'lib is a folder of other files.' })
    expect(checkNewFilePath('main.js/x.js', existing)).toEqual({ ok: false, error: 'main is a file, so it cannot be a folder too.'.replace('main', 'main.js') })
    expect(checkNewFilePath('main.js', existing, 'main.js')).toEqual({ ok: true, value: 'main.js' })
    expect(checkNewFilePath('lib/other.js', existing)).toEqual({ ok: true, value: 'lib/other.js' })
  })
})
