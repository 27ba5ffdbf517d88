/** Saves `text` as a file through the browser's download, without leaving the page. */
export function downloadText(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mimeType};charset=utf-8` }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  // The download has started from the blob by the time the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
