/**
 * The layering of ../shared/style.md, checked in `npm test`. Arrows point down:
 * core/common ← policy, telemetry, scan, share ← broker, review ← engines; worker and ui may
 * import core (not each other, not app); app and cli may import anything below them.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'core-is-self-contained',
      comment: 'src/core runs in a page, a worker and Node: it imports no ui, app, worker or cli code.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(ui|app|worker|cli)/' },
    },
    {
      name: 'core-has-no-ui-libraries',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: 'node_modules/(react|react-dom|monaco-editor|@webcontainer/api)/' },
    },
    {
      name: 'core-has-no-node-builtins',
      comment: 'Node built-ins would break core in the page and the worker.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'common-is-the-bottom',
      severity: 'error',
      from: { path: '^src/core/common/' },
      to: { path: '^src/core/(?!common/)' },
    },
    {
      name: 'policy-telemetry-scan-share-only-use-common',
      severity: 'error',
      from: { path: '^src/core/(policy|telemetry|scan|share)/' },
      to: { path: '^src/core/(broker|review|engines)/' },
    },
    {
      name: 'examples-are-plain-data',
      comment: 'The gallery content imports nothing: the page, the tests and the CLI can all read it.',
      severity: 'error',
      from: { path: '^src/core/examples/' },
      to: { path: '^src/(?!core/examples/)' },
    },
    {
      name: 'broker-and-review-do-not-use-engines',
      severity: 'error',
      from: { path: '^src/core/(broker|review)/' },
      to: { path: '^src/core/engines/' },
    },
    {
      name: 'worker-only-uses-core',
      severity: 'error',
      from: { path: '^src/worker/' },
      to: { path: '^src/(ui|app|cli)/' },
    },
    {
      name: 'ui-only-uses-core',
      severity: 'error',
      from: { path: '^src/ui/' },
      to: { path: '^src/(app|worker|cli)/' },
    },
    {
      name: 'cli-is-not-the-page',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/(ui|app|worker)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.generated\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.app.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
