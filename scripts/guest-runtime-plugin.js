// Vite plugin: regenerates the guest runtime bundle at start and whenever a guest file changes,
// so `npm start`, `npm run build` and Vitest always evaluate the current guest code.
import path from 'node:path'
import { buildGuestRuntime, guestDir } from './guest-runtime.mjs'

/** @returns {import('vite').Plugin} */
export function guestRuntimePlugin() {
  return {
    name: 'airlock-guest-runtime',
    async buildStart() {
      await buildGuestRuntime()
    },
    async handleHotUpdate(context) {
      if (path.resolve(context.file).startsWith(guestDir + path.sep)) await buildGuestRuntime()
    },
  }
}
