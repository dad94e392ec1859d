import { defineConfig, type Options } from 'tsup';

type Plugin = NonNullable<Options['plugins']>[number];

/**
 * With code splitting, esbuild makes every entry (and chunk) import every chunk of its
 * module graph, binding nothing from the ones it reaches only through other chunks:
 * `import "./chunk-X.js"`. Those bare imports only fix the order in which chunks run,
 * and no chunk does anything when it runs (the package is `"sideEffects": false`, and
 * the named imports load the same chunks anyway), so they are dropped here. Left in,
 * a bundler that honours `sideEffects` drops them itself and warns about each one
 * (esbuild: "Ignoring this import because ... was marked as having no side effects").
 * The line stays, empty, so line numbers do not move. test/packaging/bundling.test.ts
 * bundles the package with esbuild and fails on any warning.
 */
const dropBareChunkImports: Plugin = {
  name: 'drop-bare-chunk-imports',
  renderChunk(code) {
    const bare = /^import\s*(["'])\.\/chunk-[\w-]+\.c?js\1;?[ \t]*$/gm;
    if (!bare.test(code)) return;
    return { code: code.replace(bare, '') };
  },
};

/**
 * One build per public entry, ESM (.js + .d.ts) and CJS (.cjs + .d.cts). Peers
 * (drizzle-orm, PGlite) stay external; the migration SQL is inlined (it is a TS module
 * generated from drizzle/), so bundled serverless functions need no files.
 *
 * zod's runtime is inlined too (`noExternal`), tree-shaken to the zod/mini functions we
 * call: imported from node_modules, `zod/mini` loads 93 modules (every locale among
 * them) and cost about 0.8x an empty Node process of cold start on its own; inlined it
 * is a few KB in the chunk that uses it. zod stays a dependency because the published
 * types (our exported schemas) are zod's types.
 *
 * No source maps: the output is neither minified nor renamed, so a stack trace into
 * dist/ reads as it stands, and the maps (a copy of the sources, the migration SQL
 * included, per format) were 2.3 MB of the 5.3 MB unpacked package.
 */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    schema: 'src/schema/index.ts',
    domain: 'src/domain/index.ts',
    migrate: 'src/migrate/index.ts',
    testing: 'src/testing/index.ts',
    webhooks: 'src/webhooks/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: false,
  target: 'node20',
  splitting: true,
  treeshake: true,
  noExternal: ['zod'],
  plugins: [dropBareChunkImports],
  // The CJS build loads each feature with require() (inside a promise), not import():
  // a CJS host's test runner without ESM support (Jest by default) cannot run import().
  esbuildOptions(options, context) {
    if (context.format === 'cjs') options.supported = { ...options.supported, 'dynamic-import': false };
  },
});
