// Lint rules: typescript-eslint's recommended set plus the project's hygiene rules (style.md §3).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'build/**', 'sim/build/**', '.cache/**', 'out/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    rules: {
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use a seeded generator from src/core/rng.ts.' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-console': 'error',
      'no-restricted-globals': ['error', { name: 'process', message: 'Only src/cli may touch process.' }],
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:fs', 'fs', 'node:fs/*', 'fs/*'], message: 'Only src/cli (and spec/readFile.ts) does file I/O.' }] }],
    },
  },
  {
    // The files of src/cosim that read build outputs (the .wasm bytes) and run sim/build.sh or sim/systemc/build.sh.
    files: ['src/cosim/loadArtifacts.ts', 'src/cosim/systemc/loadSystemc.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['scripts/**', 'bin/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
