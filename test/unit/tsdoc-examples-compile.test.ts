/**
 * The `@example` blocks of the TSDoc are code, so they are compiled: every ```ts block
 * in an `@example` of `src/**` is type-checked with the TypeScript compiler, each as its
 * own module, against the package's own source (`academy-scheduling`,
 * `academy-scheduling/domain`, … resolve to the entries in `src/`), with the project's
 * compiler options and the short PRELUDE below. One program holds every example.
 *
 * Only public declarations carry examples: what the six public entries export (and
 * the members of exported classes and interfaces), and the scheduler's services, i.e.
 * each property of what `createScheduler` returns, the factory that builds it
 * (`createBookingService` documents `scheduler.bookings`) and the service's members.
 * Everything else is `@internal`: prose only, no `@example`.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import ts from 'typescript';

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The package's public entries, as a user imports them. */
const ENTRIES: Record<string, string> = {
  'academy-scheduling': 'src/index.ts',
  'academy-scheduling/schema': 'src/schema/index.ts',
  'academy-scheduling/domain': 'src/domain/index.ts',
  'academy-scheduling/migrate': 'src/migrate/index.ts',
  'academy-scheduling/testing': 'src/testing/index.ts',
  'academy-scheduling/webhooks': 'src/webhooks/index.ts',
};

/**
 * What every example may assume without declaring it: a scheduler, the host's Drizzle
 * database, three actors and the ids of a session and a student that exist. Anything
 * else an example uses it imports (from the public entries, as a user would) or
 * declares itself (`declare const bookingId: string;`).
 */
const PRELUDE = `
/** What \`createScheduler({ db })\` returns. */
declare const scheduler: import('academy-scheduling').Scheduler;
/** The host's Drizzle database (postgres.js), with the scheduling schema and relations. */
declare const db: import('drizzle-orm/postgres-js').PostgresJsDatabase<typeof import('academy-scheduling/schema')>;
/** Who acts: an administrator, a parent and an instructor. */
declare const admin: import('academy-scheduling').Actor;
declare const parent: import('academy-scheduling').Actor;
declare const instructor: import('academy-scheduling').Actor;
/** The ids of a session and a student that exist. */
declare const sessionId: string;
declare const studentId: string;
`;

/** Where the in-memory files live: under the repository, so third-party imports resolve from its node_modules. */
const VIRTUAL = path.join(ROOT, '.tsdoc-examples');
const PRELUDE_FILE = path.join(VIRTUAL, 'prelude.d.ts');

interface ExampleBlock {
  /** Repository-relative path of the source file. */
  file: string;
  /** 1-based line in `file` of the block's first line of code. */
  line: number;
  /** The documented declaration, for messages. */
  declaration: string;
  /** The node the TSDoc comment is attached to. */
  host: ts.Node;
  /** The code of the block; undefined for an `@example` without a ```ts block. */
  code: string | undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

function jsDocsOf(node: ts.Node): readonly ts.JSDoc[] {
  return (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
}

function declarationName(node: ts.Node): string {
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.map((d) => d.name.getText()).join(', ');
  const container = ts.isObjectLiteralExpression(node.parent)
    ? enclosingName(node.parent)
    : ts.isClassLike(node.parent)
      ? node.parent.name?.getText()
      : undefined;
  const name = ts.isConstructorDeclaration(node) ? 'constructor' : (node as { name?: ts.Node }).name?.getText();
  if (name) return container ? `${container}.${name}` : name;
  if (ts.isExportDeclaration(node) || ts.isImportDeclaration(node)) return 'module comment';
  return ts.SyntaxKind[node.kind];
}

function enclosingName(node: ts.Node): string | undefined {
  for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
    const name = (current as { name?: ts.Node }).name;
    if (name && (ts.isFunctionDeclaration(current) || ts.isVariableDeclaration(current) || ts.isPropertyAssignment(current))) return name.getText();
  }
  return undefined;
}

/**
 * The ```ts blocks of the `@example` tags of one TSDoc comment, read from its raw text
 * (the JSDoc parser would take an `@` inside the code for a tag). An `@example` without
 * one is returned with `code: undefined`, so it fails instead of going unchecked.
 */
function examplesOfComment(sourceFile: ts.SourceFile, doc: ts.JSDoc): Array<{ line: number; code: string | undefined }> {
  const firstLine = sourceFile.getLineAndCharacterOfPosition(doc.getStart(sourceFile)).line + 1;
  const lines = doc
    .getText(sourceFile)
    .split('\n')
    .map((line) =>
      line
        .replace(/^\s*\/\*\*\s?/, '')
        .replace(/\s*\*\/\s*$/, '')
        .replace(/^\s*\*\s?/, ''),
    );
  const examples: Array<{ line: number; blocks: Array<{ line: number; code: string }> }> = [];
  let fence: { ts: boolean; line: number; code: string[] } | undefined;
  lines.forEach((text, index) => {
    const example = examples[examples.length - 1];
    if (fence) {
      if (!/^\s*```\s*$/.test(text)) fence.code.push(text);
      else {
        if (fence.ts && example) example.blocks.push({ line: fence.line, code: fence.code.join('\n') });
        fence = undefined;
      }
      return;
    }
    const opening = /^\s*```(\w*)\s*$/.exec(text);
    const tag = /^\s*@(\w+)/.exec(text);
    if (opening) fence = { ts: example !== undefined && ['ts', 'typescript'].includes(opening[1]!), line: firstLine + index + 1, code: [] };
    else if (tag?.[1] === 'example') examples.push({ line: firstLine + index, blocks: [] });
    else if (tag) examples.push({ line: -1, blocks: [] }); // another tag ends the example
  });
  return examples
    .filter((example) => example.line >= 0)
    .flatMap((example): Array<{ line: number; code: string | undefined }> =>
      example.blocks.length > 0 ? example.blocks : [{ line: example.line, code: undefined }],
    );
}

function collectExamples(sourceFile: ts.SourceFile): ExampleBlock[] {
  const file = path.relative(ROOT, sourceFile.fileName).split(path.sep).join('/');
  const blocks: ExampleBlock[] = [];
  const visit = (node: ts.Node): void => {
    for (const doc of jsDocsOf(node)) {
      for (const example of examplesOfComment(sourceFile, doc)) {
        blocks.push({ file, line: example.line, declaration: declarationName(node), host: node, code: example.code });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return blocks;
}

/** The properties of the object literal a function returns (its own `return`, not a nested function's). */
function objectReturnedBy(fn: ts.Declaration | undefined): readonly ts.ObjectLiteralElementLike[] {
  let literal: ts.ObjectLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node) && node.expression && ts.isObjectLiteralExpression(node.expression)) literal = node.expression;
    else if (node === fn || !ts.isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  if (fn) visit(fn);
  return literal?.properties ?? [];
}

/**
 * The factory a scheduler property is built by: `createBookingService` in
 * `lazyFeature(async () => (await import('./bookings/service')).createBookingService(await ctx()), [...])`
 * (each feature is loaded on first use), or in a direct call `createBookingService(ctx)`.
 */
function serviceFactory(checker: ts.TypeChecker, call: ts.CallExpression): ts.Symbol | undefined {
  let factory: ts.Symbol | undefined;
  const visit = (node: ts.Node): void => {
    if (factory) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^create\w+Service$/.test(node.expression.name.text)) {
      factory = checker.getSymbolAtLocation(node.expression.name);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(call);
  return factory ?? checker.getSymbolAtLocation(call.expression);
}

/** The declarations the public entries reach (see the file's comment). */
function publicDeclarations(program: ts.Program, checker: ts.TypeChecker): Set<ts.Node> {
  const inSource = (node: ts.Node) => node.getSourceFile().fileName.startsWith(path.join(ROOT, 'src') + path.sep);
  const found = new Set<ts.Node>();
  const seen = new Set<ts.Symbol>();
  const resolve = (symbol: ts.Symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  const add = (symbol: ts.Symbol): void => {
    const target = resolve(symbol);
    if (seen.has(target)) return;
    seen.add(target);
    const declarations = (target.declarations ?? []).filter(inSource);
    for (const declaration of declarations) found.add(declaration);
    if (declarations.length === 0 || !(target.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.Enum))) return;
    target.members?.forEach(add);
    target.exports?.forEach((member) => member.name !== 'prototype' && add(member));
  };

  for (const entry of Object.values(ENTRIES)) {
    const sourceFile = program.getSourceFile(path.join(ROOT, entry))!;
    for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(sourceFile)!)) add(exported);
  }

  // The scheduler's services, read from the source rather than from their types (inferring every
  // service's type here would cost more than checking all the examples): each property of the object
  // `createScheduler` returns (`bookings: createBookingService(ctx)`), the factory it calls, and the
  // properties of the object that factory returns (`book: defineOperation(…)`).
  const createScheduler = resolve(
    checker
      .getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(path.join(ROOT, ENTRIES['academy-scheduling']!))!)!)
      .find((s) => s.name === 'createScheduler')!,
  );
  for (const service of objectReturnedBy(createScheduler.declarations?.[0])) {
    found.add(service);
    if (!ts.isPropertyAssignment(service) || !ts.isCallExpression(service.initializer)) continue;
    const factory = serviceFactory(checker, service.initializer);
    if (!factory) continue;
    add(factory);
    for (const member of objectReturnedBy(resolve(factory).declarations?.[0])) found.add(member);
  }
  return found;
}

/** The declarations a TSDoc comment attached to `host` documents. */
function documented(host: ts.Node): ts.Node[] {
  return ts.isVariableStatement(host) ? [...host.declarationList.declarations] : [host];
}

function isEntryModuleComment(block: ExampleBlock): boolean {
  return Object.values(ENTRIES).includes(block.file) && (ts.isExportDeclaration(block.host) || ts.isImportDeclaration(block.host));
}

function hasInternalTag(host: ts.Node): boolean {
  return jsDocsOf(host).some((doc) => (doc.tags ?? []).some((tag) => tag.tagName.text === 'internal'));
}

interface Checked {
  program: ts.Program;
  examples: ExampleBlock[];
  /** The in-memory module of each example. */
  exampleFiles: Map<string, ExampleBlock>;
  publicNodes: Set<ts.Node>;
}

/** Reads every `@example` of `src/**` and builds the one program that holds them all. */
function buildProgram(): Checked {
  const compilerOptions: ts.CompilerOptions = {
    ...ts.convertCompilerOptionsFromJson(ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config.compilerOptions, ROOT).options,
    noEmit: true,
    skipLibCheck: true,
    moduleDetection: ts.ModuleDetectionKind.Force,
    paths: Object.fromEntries(Object.entries(ENTRIES).map(([specifier, entry]) => [specifier, [path.join(ROOT, entry)]])),
  };

  const host = ts.createCompilerHost(compilerOptions, true);
  const parsed = new Map<string, ts.SourceFile>();
  const examples: ExampleBlock[] = [];
  for (const file of sourceFiles('src')) {
    const fileName = path.join(ROOT, file);
    const sourceFile = host.getSourceFile(fileName, ts.ScriptTarget.Latest)!;
    parsed.set(fileName, sourceFile);
    examples.push(...collectExamples(sourceFile));
  }

  const virtual = new Map<string, string>([[PRELUDE_FILE, PRELUDE]]);
  const exampleFiles = new Map<string, ExampleBlock>();
  examples.forEach((example, index) => {
    const fileName = path.join(VIRTUAL, `${String(index).padStart(3, '0')}-${example.file.replace(/[/.]/g, '_')}-${example.line}.ts`);
    virtual.set(fileName, example.code ?? '');
    exampleFiles.set(fileName, example);
  });
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(fileName);
    if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
    return parsed.get(fileName) ?? getSourceFile(fileName, languageVersion, onError, shouldCreate);
  };
  host.fileExists = (fileName) => virtual.has(fileName) || fileExists(fileName);
  host.readFile = (fileName) => virtual.get(fileName) ?? readFile(fileName);

  // The src files are roots only so that every TSDoc is in the program; only the examples are type-checked.
  const program = ts.createProgram({ rootNames: [...virtual.keys(), ...parsed.keys()], options: compilerOptions, host });
  return { program, examples, exampleFiles, publicNodes: publicDeclarations(program, program.getTypeChecker()) };
}

describe('TSDoc @example blocks', () => {
  let checked: Checked;
  beforeAll(() => {
    checked = buildProgram();
  });
  const isPublic = (example: ExampleBlock) => isEntryModuleComment(example) || documented(example.host).some((node) => checked.publicNodes.has(node));
  const where = (example: ExampleBlock) => `${example.file}:${example.line} (${example.declaration})`;

  it('every @example of a public declaration compiles', () => {
    const { program, exampleFiles } = checked;
    const failures: string[] = [];
    const setup = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...program.getSemanticDiagnostics(program.getSourceFile(PRELUDE_FILE)),
    ];
    for (const diagnostic of setup) failures.push(`prelude: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    let compiled = 0;
    for (const [fileName, example] of exampleFiles) {
      if (!isPublic(example)) continue;
      if (example.code === undefined) {
        failures.push(`${where(example)}: the @example has no \`\`\`ts block to check`);
        continue;
      }
      compiled++;
      const sourceFile = program.getSourceFile(fileName)!;
      for (const diagnostic of [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)]) {
        const line = diagnostic.start === undefined ? 0 : sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line;
        const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
        failures.push(`${example.file}:${example.line + line} (${example.declaration}): TS${diagnostic.code} ${message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(compiled).toBeGreaterThan(50);
  });

  it('no declaration the public entries do not reach carries an @example (it is @internal instead)', () => {
    const internal = checked.examples
      .filter((example) => !isPublic(example))
      .map((example) => `${where(example)}: not public, so no @example; mark it @internal`);
    expect(internal).toEqual([]);
  });

  it('no public declaration is @internal', () => {
    const hosts = new Set<ts.Node>();
    for (const node of checked.publicNodes) hosts.add(ts.isVariableDeclaration(node) ? node.parent.parent : node);
    const marked = [...hosts].filter(hasInternalTag).map((node) => {
      const sourceFile = node.getSourceFile();
      return `${path.relative(ROOT, sourceFile.fileName)}:${sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1} (${declarationName(node)}): public, so not @internal`;
    });
    expect(marked).toEqual([]);
  });
});
