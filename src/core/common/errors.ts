/** Every code an AirlockError can carry; callers match on `code`, never on `instanceof`. */
export type AirlockErrorCode =
  | 'policy-invalid'
  | 'link-invalid'
  | 'engine-boot-failed'
  | 'engine-crashed'
  | 'engine-busy'
  | 'storage-failed'
  | 'internal'

/**
 * An expected failure with a message a person can act on.
 * `userMessage` says what happened and what to do next, in plain words; details go in `cause`.
 */
export class AirlockError extends Error {
  override readonly name = 'AirlockError'

  constructor(
    readonly code: AirlockErrorCode,
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options)
  }
}

/** The plain shape an AirlockError takes when it crosses a worker boundary. */
export interface SerializedError {
  readonly name: string
  readonly code: AirlockErrorCode
  readonly message: string
}

/** Turns any thrown value into a SerializedError (bugs become `internal`). */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof AirlockError) {
    return { name: error.name, code: error.code, message: error.userMessage }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { name: 'Error', code: 'internal', message }
}

/** Marks code that must never run; reaching it is a bug, never user guidance. */
export function unreachable(message = 'unreachable code was reached'): never {
  throw new Error(`Airlock bug: ${message}`)
}

/** Exhaustiveness check for discriminated unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Airlock bug: unexpected ${what}: ${JSON.stringify(value)}`)
}
