// The layers of hookwarden, as rules a test enforces (test/architecture.test.ts). Data flows one way:
// hooks/ (entries, client, daemon) -> audit/ (the application layer of the trail: emit a record to
// the configured sinks, the forwarder `ship`) -> sinks/ (I/O adapters) and the pure core lib/
// (payload -> targets -> decision -> record). The CLI (cli/, with the installer in cli/install/)
// lives outside the core and may use every layer.
// The rules have no exceptions: the violations that predated them are gone (issue 16, one-way
// layers; the last were the shell analysis' cycles), so there is no baseline to ignore.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-reaches-outward',
      comment: 'The core (lib/, rules/) must not depend on sinks, hooks, the CLI, scripts or benchmarks.',
      severity: 'error',
      from: { path: '^(lib|rules)/' },
      to: { path: '^(audit|sinks|hooks|cli|scripts|bench)/' },
    },
    {
      name: 'core-does-io',
      comment: 'The core has no network, no child processes, no locks and no logging (file reads a decision needs are fine).',
      severity: 'error',
      from: { path: '^(lib|rules)/' },
      to: { path: '^(child_process|net|dgram|tls|http|https|http2|worker_threads|cluster)$|node_modules/(undici|pino|proper-lockfile)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'sink-imports-decision',
      comment: 'Sinks write records; they never decide, and never reach up into the layers that use them.',
      severity: 'error',
      from: { path: '^sinks/' },
      to: { path: '^(lib/(guard|decide|rules|targets|answer|payload|post-check)|audit/|hooks/|cli/)' },
    },
    {
      name: 'hook-imports-cli',
      comment: 'Hook processes never load the CLI or the installer.',
      severity: 'error',
      from: { path: '^hooks/' },
      to: { path: '^cli/' },
    },
    {
      name: 'audit-reaches-up',
      comment: 'The audit layer serves the hooks and the CLI; it never imports them.',
      severity: 'error',
      from: { path: '^audit/' },
      to: { path: '^(hooks|cli)/' },
    },
    {
      name: 'no-runtime-cycle',
      comment: 'No runtime import cycle (type-only imports do not count).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'shell-analysis-cycle',
      comment: 'The shell analysis has no import cycle at all, type-only ones included: the walker (walk.ts) owns the recursion and hands it to the handlers on the frame (Frame.walker); the types they share are in types.ts.',
      severity: 'error',
      from: { path: '^lib/targets/shell/' },
      to: { path: '^lib/targets/shell/', circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|test|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
    builtInModules: { add: [] },
  },
};
