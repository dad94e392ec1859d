import { defineConfig } from 'tsup';

/**
 * One build per public entry, ESM (.js + .d.ts) and CJS (.cjs + .d.cts). Runtime
 * dependencies and peers stay external; the migration SQL is inlined (it is a TS
 * module generated from drizzle/), so bundled serverless functions need no files.
 */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    schema: 'src/schema/index.ts',
    domain: 'src/domain/index.ts',
    migrate: 'src/migrate/index.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
