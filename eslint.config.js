// Lint rules that keep the layering of ../shared/style.md and the security rules of design.md.
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const CORE_FORBIDDEN_IMPORTS = [
  { name: 'react', message: 'src/core runs in workers and Node: no React.' },
  { name: 'react-dom', message: 'src/core runs in workers and Node: no React.' },
  { name: 'monaco-editor', message: 'src/core runs in workers and Node: no Monaco.' },
  { name: '@webcontainer/api', message: 'Load WebContainers lazily from the engine adapter, not from core.' },
]

export default tseslint.config(
  // The scan corpus is vulnerable code on purpose (test/fixtures/scan/README.md).
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.generated.ts', 'bench/results/**', 'test/fixtures/scan/**', 'test/fixtures/scan-holdout/**', 'test/fixtures/compat/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Everything from the sandbox is rendered as text (security invariant 5).',
        },
        {
          selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]",
          message: 'Everything from the sandbox is rendered as text (security invariant 5).',
        },
      ],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // The broker is the one place allowed to call the real fetch (design.md invariant 3).
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Only src/core/broker may call fetch.' },
        { name: 'XMLHttpRequest', message: 'Only src/core/broker may reach the network.' },
        { name: 'WebSocket', message: 'Only src/core/broker may reach the network.' },
      ],
    },
  },
  {
    // The exception that rule names: the broker's one call of the real fetch.
    files: ['src/core/broker/broker.ts'],
    rules: { 'no-restricted-globals': 'off' },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: CORE_FORBIDDEN_IMPORTS, patterns: ['**/ui/**', '**/app/**', '**/worker/**'] }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // The scanner (ESLint and TypeScript, 5 MB) belongs in its worker; the page takes types and
      // the rule catalog only.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: 'core/scan(/index|/scanner|/rules-[a-z]+)?$',
              allowTypeImports: true,
              message: 'Import the scanner in src/worker/scan.worker.ts only; use core/scan/rule-catalog here.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.{ts,mjs}', 'scripts/**/*.{js,mjs,ts}', 'test/**/*.ts', 'bench/**/*.{ts,mjs}', '*.config.{ts,js}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
)
