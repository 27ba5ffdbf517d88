import type { Plugin } from 'vite'
export function guestRuntimePlugin(): Plugin
