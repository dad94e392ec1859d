import * as rruleNamespace from 'rrule';

/**
 * `rrule` for the tests (an oracle) and the benchmark (a baseline) only: the library
 * parses and expands RRULEs itself (src/domain/recurrence-rule.ts), and `rrule` is a
 * devDependency.
 *
 * `rrule` ships CommonJS as `main` and an ESM build as `module` whose `package.json`
 * lacks `"type": "module"`. Node's ESM loader therefore sees CommonJS, whose named
 * exports it cannot detect (`import { RRule } from 'rrule'` fails), while bundlers
 * pick the ESM build, which has no default export (`import rrule from 'rrule'` is
 * `undefined` there). A namespace import works in both worlds: under Node it holds
 * the CommonJS `module.exports` as `default`, under a bundler the named exports
 * directly.
 */
type RRuleModule = typeof rruleNamespace;
const namespaceAsAny: { default?: RRuleModule } & RRuleModule = rruleNamespace as never;
const rruleModule: RRuleModule = namespaceAsAny.default && typeof namespaceAsAny.default.RRule === 'function' ? namespaceAsAny.default : namespaceAsAny;

/** The `RRule` class, whichever module format loaded it. */
export const RRule = rruleModule.RRule;
/** An `RRule` instance. */
export type RRule = InstanceType<typeof rruleModule.RRule>;
/** Options accepted by the `RRule` constructor. */
export type RRuleOptions = NonNullable<ConstructorParameters<typeof rruleModule.RRule>[0]>;
