/** A fresh random id for runs and requests (not a secret). */
export function createId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`
}
