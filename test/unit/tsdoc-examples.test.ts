/**
 * Every exported function, class and constant of every public entry carries TSDoc
 * with an `@example` (the API reference, `npm run docs`, is generated from it).
 */
import { describe, expect, it } from 'vitest';
import ts from 'typescript';

const ENTRIES = ['src/index.ts', 'src/schema/index.ts', 'src/domain/index.ts', 'src/migrate/index.ts', 'src/testing/index.ts', 'src/webhooks/index.ts'];

/** Tables, relations and schemas are documented by their module, not one by one. */
const DOCUMENTED_BY_MODULE = (name: string, entry: string) => entry === 'src/schema/index.ts' || /Schema$/.test(name) || /^[A-Z0-9_]+$/.test(name);

describe('TSDoc', () => {
  const program = ts.createProgram(ENTRIES, {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();

  for (const entry of ENTRIES) {
    it(`every exported function and class of ${entry} has an @example`, () => {
      const source = program.getSourceFile(entry)!;
      const moduleSymbol = checker.getSymbolAtLocation(source)!;
      const missing: string[] = [];
      let checked = 0;
      for (const exported of checker.getExportsOfModule(moduleSymbol)) {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const isCallableOrClass = symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class);
        if (!isCallableOrClass || DOCUMENTED_BY_MODULE(exported.name, entry)) continue;
        checked++;
        const hasExample = symbol.getJsDocTags(checker).some((tag) => tag.name === 'example');
        if (!hasExample) missing.push(exported.name);
      }
      expect(missing).toEqual([]);
      if (entry !== 'src/schema/index.ts') expect(checked).toBeGreaterThan(0);
    });
  }
});
