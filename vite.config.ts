import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { guestRuntimePlugin } from './scripts/guest-runtime-plugin.js'

// Monaco creates these Trusted Types policies (grep createTrustedTypesPolicy in monaco-editor/esm).
const MONACO_TRUSTED_TYPES_POLICIES = [
  'defaultWorkerFactory',
  'diffEditorWidget',
  'diffReview',
  'domLineBreaksComputer',
  'editorGhostText',
  'editorViewLayer',
  'richScreenReaderContent',
  'standaloneColorizer',
  'stickyScrollViewLayer',
  'tokenizeToString',
]

// Vite's dev server injects inline module scripts (client, React refresh preamble); in dev they
// carry this nonce. The built app has no inline script at all.
const DEV_NONCE = 'airlock-dev-only'

/** Response headers of the app: a strict CSP, cross-origin isolation (COOP + COEP) and friends. */
function securityHeaders(mode: 'dev' | 'preview'): Record<string, string> {
  const csp = [
    "default-src 'self'",
    // 'wasm-unsafe-eval' lets the page compile QuickJS's WASM; no 'unsafe-eval', no inline script.
    mode === 'dev' ? `script-src 'self' 'wasm-unsafe-eval' 'nonce-${DEV_NONCE}'` : "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    // Monaco sets element styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    // The broker (src/core/broker, the page's only fetch) reaches whatever origin the policy or the
    // person allows, so any http(s) origin; sandboxed code itself has no network primitive at all.
    mode === 'dev' ? "connect-src 'self' http: https: ws://localhost:* ws://127.0.0.1:*" : "connect-src 'self' http: https:",
    // The WebContainer engine (opt-in, after consent) boots in a hidden frame from StackBlitz and
    // shows a server's preview from its preview domain; no other frame is ever created.
    "frame-src https://stackblitz.com https://*.webcontainer-api.io",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    // Monaco's policies plus the app's one for worker URLs (src/ui/trusted-worker-url.ts).
    // 'allow-duplicates' because Monaco's lazily loaded TypeScript mode carries its own copy of the
    // module that creates `defaultWorkerFactory`; names stay limited to this list.
    `trusted-types ${[...MONACO_TRUSTED_TYPES_POLICIES, 'airlock-worker-url'].join(' ')} 'allow-duplicates'`,
  ].join('; ')
  return {
    'Content-Security-Policy': csp,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  }
}

export default defineConfig(({ command }) => ({
  plugins: [react(), guestRuntimePlugin()],
  html: command === 'serve' ? { cspNonce: DEV_NONCE } : {},
  server: {
    host: 'localhost',
    port: 5173,
    headers: securityHeaders('dev'),
  },
  preview: {
    host: 'localhost',
    port: 4173,
    headers: securityHeaders('preview'),
  },
  worker: { format: 'es' },
  resolve: {
    // typescript-eslint's parser (in the scan worker) calls path.resolve on the file name; pathe is
    // the same API for browsers. Nothing else in the page uses `path`.
    alias: [
      { find: /^(node:)?path$/, replacement: 'pathe' },
      // ESLint require()s esquery; bundled, that would get esquery's ES module build, whose namespace
      // has no `parse`. The CommonJS build works for both require() and Airlock's default import.
      { find: /^esquery$/, replacement: 'esquery/dist/esquery.min.js' },
    ],
  },
  // Pre-bundled up front: discovered later (the worker and the TypeScript path load them), Vite
  // would re-optimize and reload the page in the middle of a newcomer's first run.
  optimizeDeps: {
    include: [
      'quickjs-emscripten-core',
      '@jitl/quickjs-wasmfile-release-sync',
      'sucrase',
      'zod',
      'react',
      'react-dom/client',
      // The scan worker's dependencies.
      'eslint/universal',
      '@typescript-eslint/parser',
      'redos-detector',
      // Loaded only when the person picks the WebContainer engine (src/app/webcontainer-loader.ts);
      // pre-bundled so that moment does not reload the page. Pre-bundling fetches nothing remote.
      '@webcontainer/api',
    ],
  },
  build: {
    target: 'es2022',
    // Monaco and its TypeScript worker are big by nature; they load from this origin only.
    chunkSizeWarningLimit: 8000,
    sourcemap: false,
  },
}))
