import type { ChangedFile, GuestError, StopReason } from '../engine'

/** How a run ended, as the VM side knows it (the page adds the wall-clock duration). */
export type VmOutcome =
  | { readonly kind: 'finished'; readonly files?: readonly ChangedFile[] }
  | { readonly kind: 'error'; readonly error: GuestError; readonly files?: readonly ChangedFile[] }
  | { readonly kind: 'stopped'; readonly reason: Exclude<StopReason, 'user'>; readonly detail?: string }
