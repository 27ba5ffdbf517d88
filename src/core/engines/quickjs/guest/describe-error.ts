// Placeholder: replaced by the full, hostile-input-proof version.
import type { GuestErrorDescription } from './guest-api'

const JSONStringify = JSON.stringify

export function describeError(value: unknown): string {
  let description: GuestErrorDescription
  try {
    if (value instanceof Error) {
      description = { name: String(value.name), message: String(value.message), text: `${value.name}: ${value.message}`, stack: String(value.stack ?? '') }
    } else {
      description = { name: 'Uncaught', message: String(value), text: `Uncaught ${String(value)}`, stack: '' }
    }
  } catch {
    description = { name: 'Uncaught', message: '[value could not be described]', text: 'Uncaught [value could not be described]', stack: '' }
  }
  return JSONStringify(description)
}
