/**
 * Which of Node's built-in modules the sandbox provides and which it does not, shared by the VM's
 * `require` (node.ts) and the host's loader for `import` (builtin-modules.ts) so both say the same.
 */

/** Provided, in the order messages list them. */
export const PROVIDED_NODE_MODULES = ['path', 'events', 'util', 'buffer', 'crypto', 'process', 'assert', 'assert/strict', 'url', 'querystring', 'string_decoder', 'timers', 'timers/promises', 'fs', 'fs/promises'] as const

/** Node's other built-in modules, named in the message that says they are not available here. */
export const NODE_MODULES_NOT_PROVIDED: ReadonlySet<string> = new Set([
  'async_hooks', 'child_process', 'cluster', 'console', 'dgram', 'diagnostics_channel', 'dns', 'domain',
  'http', 'http2', 'https', 'inspector', 'module', 'net', 'os', 'perf_hooks', 'punycode',
  'readline', 'repl', 'stream', 'sys', 'tls', 'trace_events', 'tty', 'v8',
  'vm', 'wasi', 'worker_threads', 'zlib',
])

/** fs functions that have a callback form, a `…Sync` form and a promise form (fs/promises). */
export const FS_FUNCTIONS = ['readFile', 'writeFile', 'appendFile', 'stat', 'lstat', 'readdir', 'mkdir', 'unlink', 'rm', 'rmdir', 'rename', 'copyFile', 'access', 'realpath', 'mkdtemp'] as const
