const textEncoder = new TextEncoder()

/** SHA-256 of the UTF-8 bytes of `text`, as lowercase hex (Web Crypto: page, worker and Node alike). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', textEncoder.encode(text))
  let hex = ''
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0')
  return hex
}

/** Number of bytes `text` takes in UTF-8. */
export function utf8ByteLength(text: string): number {
  return textEncoder.encode(text).byteLength
}
