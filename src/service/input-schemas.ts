import { z } from 'zod';

/*
 * Zod building blocks shared by the service's input schemas. Ids are uuids (checked
 * here so a malformed id is INVALID_INPUT with a path, not a database cast error);
 * instants are Dates or ISO-8601 strings with an offset.
 */

/** A uuid in the 8-4-4-4-12 form Postgres accepts. */
export const uuidInput = z.guid('expected a uuid');

/** A Date or an ISO-8601 string with a zone offset, as a Date. */
export const instantInput = z
  .union([z.date({ error: 'expected a valid Date' }), z.iso.datetime({ offset: true, message: 'expected an ISO-8601 instant with an offset' })])
  .transform((value) => (value instanceof Date ? value : new Date(value)));

/** A non-negative amount with at most two decimals, as the string Postgres `numeric` takes. */
export const moneyInput = z
  .union([z.number().nonnegative().finite(), z.string().regex(/^\d{1,8}(\.\d{1,2})?$/, 'expected an amount such as 12.50')])
  .transform((value) => (typeof value === 'number' ? value.toFixed(2) : value));

/** A percentage 0–100 with at most two decimals. */
export const percentageInput = z
  .union([z.number().min(0).max(100), z.string().regex(/^\d{1,3}(\.\d{1,2})?$/)])
  .transform((value) => (typeof value === 'number' ? value.toFixed(2) : value))
  .refine((value) => Number(value) <= 100, 'a percentage must be between 0 and 100');

/** Paging of list methods. */
export const pagingInput = {
  limit: z.number().int().min(1).max(500).default(100),
  offset: z.number().int().min(0).default(0),
};

/** No NUL character and no unpaired UTF-16 surrogate: what Postgres text can hold as it is. */
const STORABLE = /^(?:[^\u0000\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

/**
 * A string schema refined to text Postgres can store: a NUL character is refused by
 * every driver, and an unpaired surrogate is an error or a silent replacement
 * character depending on how the value travels. Both are `INVALID_INPUT` here.
 *
 * @example
 * ```ts
 * const title = storableText(z.string().trim().min(1).max(255));
 * ```
 */
export function storableText(schema: z.ZodString): z.ZodString {
  return schema.regex(STORABLE, 'contains a NUL character or an unpaired surrogate');
}

/** Free text the database stores as TEXT; bounded so a request cannot be arbitrarily large. */
export const textInput = storableText(z.string().max(10_000));

/**
 * Refinement: `end` after `start` (half-open intervals cannot be empty) and at most 24 hours.
 *
 * @example
 * ```ts
 * z.object({ start: instantInput, end: instantInput }).superRefine(requireTimeOrder('start', 'end'));
 * ```
 */
export function requireTimeOrder<K extends string>(startKey: K, endKey: K, maxHours = 24) {
  return (value: Partial<Record<K, Date | undefined>>, ctx: z.RefinementCtx) => {
    const start = value[startKey];
    const end = value[endKey];
    if (!start || !end) return;
    if (end.getTime() <= start.getTime()) {
      ctx.addIssue({ code: 'custom', path: [endKey], message: `${endKey} must be after ${startKey}` });
    } else if (end.getTime() - start.getTime() > maxHours * 3_600_000) {
      ctx.addIssue({ code: 'custom', path: [endKey], message: `a session lasts at most ${maxHours} hours` });
    }
  };
}
