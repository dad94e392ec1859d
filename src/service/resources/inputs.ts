import { RESOURCE_TYPES } from '../../schema/unqualified';
import { moneyInput, storableText, textInput, uuidInput } from '../kernel/inputs';
import * as z from 'zod/mini';

// Each schema is built on its first parse (`z.lazy`), not when the package is imported: a call needs one or two.

/**
 * Input of `resources.unallocatedMandatory`: how many days ahead to look (default 7).
 *
 * @internal
 */
export const unallocatedMandatorySchema = z.lazy(() => z.strictObject({ withinDays: z._default(z.int().check(z.gte(1), z.lte(366)), 7) }));

/**
 * Input of `resources.costs`: the sessions to total.
 *
 * @internal
 */
export const resourceCostsSchema = z.lazy(() => z.strictObject({ sessionIds: z.array(uuidInput).check(z.minLength(1), z.maxLength(500)) }));

/**
 * Input of `resources.request`.
 *
 * @internal
 */
export const requestResourceSchema = z.lazy(() =>
  z
    .strictObject({
      sessionId: uuidInput,
      resourceType: z.enum(RESOURCE_TYPES),
      resourceName: storableText(z.string().check(z.trim(), z.minLength(1), z.maxLength(255))),
      resourceDescription: z.optional(textInput),
      quantityNeeded: z._default(z.int().check(z.gte(1), z.lte(100_000)), 1),
      costPerUnit: z._default(moneyInput, '0.00'),
      isMandatory: z._default(z.boolean(), true),
      specifications: z.optional(textInput),
      setupInstructions: z.optional(textInput),
      cleanupInstructions: z.optional(textInput),
    })
    .check(
      z.superRefine((value, ctx) => {
        // total_cost (quantity × cost per unit) is a numeric(10, 2) the database computes.
        if (
          typeof value.quantityNeeded === 'number' &&
          typeof value.costPerUnit === 'string' &&
          value.quantityNeeded * Number(value.costPerUnit) > 99_999_999.99
        ) {
          ctx.addIssue({ code: 'custom', path: ['costPerUnit'], message: 'quantityNeeded × costPerUnit must be at most 99,999,999.99' });
        }
      }),
    ),
);

/** Input of `resources.request`. */
export type RequestResourceInput = z.input<typeof requestResourceSchema>;

/**
 * Input of `resources.allocate`: how many units are allocated (at most the number needed).
 *
 * @internal
 */
export const allocateResourceSchema = z.lazy(() => z.strictObject({ resourceId: uuidInput, quantity: z.int().check(z.gte(1), z.lte(100_000)) }));

/**
 * Input of `resources.markUnavailable` and `resources.cancel`.
 *
 * @internal
 */
export const resourceRefSchema = z.lazy(() => z.strictObject({ resourceId: uuidInput }));
