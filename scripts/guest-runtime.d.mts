export const guestDir: string
export const outputFile: string
export function buildGuestRuntime(): Promise<string>
