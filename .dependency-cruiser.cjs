// Import direction of src/ (style.md §2): arrows point only downward; cli is imported by nobody.
const allowed = {
  core: [],
  spec: ['core'],
  fp8: ['core'],
  model: ['core', 'spec', 'fp8'],
  memory: ['core', 'spec'],
  gemm: ['core', 'spec', 'fp8'],
  cosim: ['core', 'spec', 'memory', 'model'],
  project: ['core', 'spec', 'fp8', 'model', 'memory', 'gemm'],
  dse: ['core', 'spec', 'project'],
  report: ['core', 'spec', 'project', 'dse'],
};
const folders = Object.keys(allowed);
const forbidden = folders.map((from) => ({
  name: `${from}-imports-only-${allowed[from].join('-') || 'nothing'}`,
  severity: 'error',
  from: { path: `^src/${from}/` },
  to: { path: `^src/(?!(?:${[from, ...allowed[from]].join('|')})/)` },
}));
forbidden.push(
  { name: 'nobody-imports-cli', severity: 'error', from: { path: '^src/(?!cli/)' }, to: { path: '^src/cli/' } },
  {
    name: 'cross-folder-imports-go-through-index',
    severity: 'error',
    from: { path: '^src/([^/]+)/' },
    to: { path: '^src/([^/]+)/(?!index\\.ts$)', pathNot: '^src/$1/' },
  },
  {
    name: 'tfjs-only-in-model',
    severity: 'error',
    from: { path: '^src/(?!model/)' },
    to: { path: '@tensorflow' },
  },
  { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
);
module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs'] },
  },
};
