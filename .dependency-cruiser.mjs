// The layering of src/, bottom to top: a module may import from its own layer and the layers
// below it, never from one above. `npm test` runs this (npm run layers).
const LAYERS = [
  ['util', 'types'],
  ['model'],
  ['config'],
  ['inventory'],
  ['policy'],
  ['registry'],
  // the stages after the registry: none reads another
  ['provenance', 'ai', 'release-diff'],
  // a base revision written out for the readers (it selects the files the AI analysis reads)
  ['base'],
  // Python pins and their index: reads the AI catalog and verifies with the provenance stage's Sigstore verifier
  ['python'],
  ['checks'],
  ['report'],
  ['formats'],
  ['audit.ts'],
  ['audit-with-base.ts'],
  ['index.ts', 'cli'],
];

const path = (name) => (name.endsWith('.ts') ? `^src/${name.replace('.', '\\.')}$` : `^src/${name}/`);

const upward = LAYERS.slice(0, -1).flatMap((layer, index) =>
  layer.map((name) => ({
    name: `no-upward-from-${name.replace('.ts', '')}`,
    comment: `${name} sits below ${LAYERS.slice(index + 1).flat().join(', ')}: it must not import them`,
    severity: 'error',
    from: { path: path(name) },
    to: { path: LAYERS.slice(index + 1).flat().map(path) },
  })),
);

const siblings = LAYERS.filter((layer) => layer.length > 1 && !layer.includes('types')).flatMap((layer) =>
  layer.map((name) => ({
    name: `no-sideways-from-${name.replace('.ts', '')}`,
    comment: `${name} and ${layer.filter((other) => other !== name).join(', ')} are parallel stages`,
    severity: 'error',
    from: { path: path(name) },
    to: { path: layer.filter((other) => other !== name).map(path) },
  })),
);

export default {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    ...upward,
    ...siblings,
    {
      name: 'registry-transport-below-facts',
      comment: 'the HTTP transport knows nothing of documents, facts or the stage',
      severity: 'error',
      from: { path: '^src/registry/transport/' },
      to: { path: ['^src/registry/facts/', '^src/registry/stage\\.ts$'] },
    },
    {
      name: 'registry-facts-below-stage',
      severity: 'error',
      from: { path: '^src/registry/facts/' },
      to: { path: '^src/registry/stage\\.ts$' },
    },
    {
      name: 'no-terminal-in-core',
      comment: 'only src/cli/ knows that a terminal exists',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: 'node_modules/commander/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: ['^src/', 'node_modules/commander/'],
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.d\\.ts$' },
  },
};
