import type * as z from 'zod/mini';
// zod's English messages by their own path: `zod/mini` has none of its own, and
// `z.config()` would change the zod of the host application too.
import english from 'zod/v4/locales/en.js';

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];
type FinalIssue = z.core.$ZodIssue;

const INVALID_INPUT = 'Invalid input: ';

/**
 * A message without zod's `Invalid input: ` in front, for a message that already says
 * it (`Invalid input at capacity: expected int, received number`).
 *
 * @internal
 */
export function withoutInvalidInput(message: string): string {
  return message.startsWith(INVALID_INPUT) ? message.slice(INVALID_INPUT.length) : message;
}

const englishMap = /* @__PURE__ */ english().localeError;

/** zod's English message of an issue. */
function englishMessage(issue: RawIssue): string {
  const message = englishMap(issue);
  return (typeof message === 'string' ? message : message?.message) ?? 'Invalid input';
}

/**
 * How a value that was refused is named in a message: `a number`, `null`, `an array`,
 * `an Invalid Date`. Never the value itself, which may be long or private.
 *
 * @internal
 */
export function receivedAs(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? 'a number' : String(value);
  if (typeof value === 'object') {
    if (Array.isArray(value)) return 'an array';
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an Invalid Date' : 'a Date';
    return 'an object';
  }
  return value === undefined ? 'nothing' : `a ${typeof value}`;
}

/** An issue of a nested parse (a union's option, a map's key or value), with its path when it has one (a key's issue is about the key itself). */
function nested(issue: FinalIssue): string {
  const message = withoutInvalidInput(issue.message);
  return issue.path.length > 0 && issue.code !== 'invalid_key' ? `${issue.path.map(String).join('.')}: ${message}` : message;
}

/** A root type mismatch: the option did not get past the type of the value. */
const isTypeMismatch = (issues: readonly FinalIssue[]) => issues.length === 1 && issues[0]!.code === 'invalid_type' && issues[0]!.path.length === 0;

/**
 * A union that refused the value: when every option refused its type, the types it
 * expected; otherwise what the options that took the type said (zod's own English says
 * only "Invalid input").
 */
function unionMessage(issue: Extract<RawIssue, { code: 'invalid_union' }>): string | undefined {
  const options = issue.errors;
  if (options.length === 0) return undefined;
  if (options.every(isTypeMismatch)) {
    const expected = [...new Set(options.map((option) => (option[0] as z.core.$ZodIssueInvalidType).expected))];
    return englishMessage({ code: 'invalid_type', expected: expected.join(' or ') as 'string', input: issue.input });
  }
  const messages = options.filter((option) => !isTypeMismatch(option)).flatMap((option) => option.map(nested));
  return [...new Set(messages)].join(', or ');
}

/**
 * The English message of a zod issue that has none of its own: zod's English locale,
 * made more specific where it says little. A missing value is `required (expected …)`;
 * a union names what its options expected; an invalid key or value of a map or record
 * says why. Passed per parse (`{ error: inputErrorMap }`), so a host's own zod
 * configuration is neither needed nor changed.
 *
 * @internal
 */
export const inputErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `required (expected ${issue.expected})`;
      // zod's English calls an Invalid Date "date", as it does a valid one.
      if (issue.input instanceof Date && Number.isNaN(issue.input.getTime())) return `${INVALID_INPUT}expected ${issue.expected}, received Invalid Date`;
      break;
    case 'invalid_union':
      return unionMessage(issue) ?? englishMessage(issue);
    case 'invalid_key':
    case 'invalid_element': {
      const inner = issue.issues[0];
      return inner ? `${englishMessage(issue)}: ${nested(inner)}` : englishMessage(issue);
    }
  }
  return englishMessage(issue);
};
