// Words and numbers as people read them. Internal states stay kebab literals until here.
import type { RunOutcome, StopReason } from '../core/engines/engine'

const STOP_WORDS: Record<StopReason, string> = {
  'time-limit': 'Stopped: time limit',
  'memory-limit': 'Stopped: memory limit',
  'output-limit': 'Stopped: output limit',
  user: 'Stopped by you',
}

/** The end-state text of the contract: Finished, Error, Stopped: time limit, ... */
export function endStateText(outcome: RunOutcome): string {
  switch (outcome.kind) {
    case 'finished':
      return 'Finished'
    case 'error':
      return 'Error'
    case 'stopped':
      return STOP_WORDS[outcome.reason]
  }
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US')
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}
