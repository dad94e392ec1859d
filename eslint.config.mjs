// The layout's rules, enforced (docs/architecture.md):
//   domain imports nothing of the database; db imports nothing of the service;
//   the kernel imports neither places nor features; places never import a feature;
//   a feature never imports another feature (they share through the kernel and places);
//   no import cycles anywhere.
import { readdirSync } from 'node:fs';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

// Every folder of src/service is a feature except the two shared modules: a new feature
// folder is covered without editing this file (test/unit/layout-rules.test.ts checks
// that nothing else sits in src/service).
const SHARED = ['kernel', 'places'];
const FEATURES = readdirSync(new URL('./src/service/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !SHARED.includes(entry.name))
  .map((entry) => entry.name);
const service = (folder) => `./src/service/${folder}`;

/** `target` may not import from any of `from`. */
const zone = (target, from, message) => ({ target, from, message });

const zones = [
  zone('./src/domain', ['./src/db', './src/service', './src/schema', './src/migrate', './src/testing'], 'domain is pure: no database, no service'),
  zone('./src/db', ['./src/service', './src/migrate', './src/testing'], 'db is below the service'),
  zone('./src/schema', ['./src/service', './src/migrate', './src/testing'], 'the schema is below the service'),
  zone('./src/errors.ts', ['./src/service', './src/db', './src/schema', './src/migrate', './src/testing'], 'errors.ts is the bottom layer'),
  zone('./src/migrate', ['./src/service', './src/testing'], 'migrations do not use the service'),
  zone(
    './src/webhooks',
    ['./src/service', './src/db', './src/schema', './src/migrate', './src/testing', './src/domain'],
    'webhooks stand alone (their own entry): errors.ts only',
  ),
  zone(service('kernel'), [service('places'), ...FEATURES.map(service), './src/service/create-scheduler.ts'], 'the kernel imports neither places nor features'),
  zone(service('places'), [...FEATURES.map(service), './src/service/create-scheduler.ts'], 'places never import a feature'),
  ...FEATURES.map((feature) =>
    zone(
      service(feature),
      FEATURES.filter((other) => other !== feature).map(service),
      `a feature never imports another feature: share through src/service/kernel or src/service/places`,
    ),
  ),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'docs/api/**', '.tmp/**', 'src/migrate/migrations.generated.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mts', '.js', '.mjs', '.json'] })],
      // The dependency graph (no-cycle) parses every imported file: TypeScript needs its parser named here.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts'] },
      'import-x/extensions': ['.ts', '.mts', '.js', '.mjs'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-duplicates': 'error',
      'import-x/no-restricted-paths': ['error', { zones }],
      // Unused bindings are errors, except deliberately ignored ones (`_name`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // The domain is pure: no database library either.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['drizzle-orm', 'drizzle-orm/*', 'pg', 'postgres', '@electric-sql/*'] }],
    },
  },
);
