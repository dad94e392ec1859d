import { boolean, check, decimal, index, integer, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { auditTimestamps, instant } from './namespace';
import type { AcademyNamespace, ReferencedTables } from './academy-namespace';

export const RESOURCE_TYPES = ['equipment', 'material', 'facility_feature', 'digital_resource'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];
export const ALLOCATION_STATUSES = ['requested', 'allocated', 'unavailable', 'cancelled'] as const;
export type AllocationStatus = (typeof ALLOCATION_STATUSES)[number];

/**
 * Session resources, in the namespace's schema; foreign keys point into `tables()`.
 *
 * @internal
 */
export function resourceTables<S extends string | undefined>(ns: AcademyNamespace<S>, tables: ReferencedTables) {
  const sessionResources = ns.table(
    'session_resources',
    {
      id: uuid('id').primaryKey().defaultRandom(),
      sessionId: uuid('session_id')
        .notNull()
        .references(() => tables().sessions.id, { onDelete: 'cascade' }),
      resourceType: varchar('resource_type', { length: 50, enum: RESOURCE_TYPES }).notNull(),
      resourceName: varchar('resource_name', { length: 255 }).notNull(),
      resourceDescription: text('resource_description'),
      quantityNeeded: integer('quantity_needed').default(1),
      quantityAllocated: integer('quantity_allocated').default(0),
      allocationStatus: varchar('allocation_status', { length: 20, enum: ALLOCATION_STATUSES }).default('requested'),
      allocatedBy: uuid('allocated_by').references(() => tables().users.id),
      allocatedAt: instant('allocated_at'),
      specifications: text('specifications'),
      setupInstructions: text('setup_instructions'),
      cleanupInstructions: text('cleanup_instructions'),
      costPerUnit: decimal('cost_per_unit', { precision: 10, scale: 2 }).default('0.00'),
      totalCost: decimal('total_cost', { precision: 10, scale: 2 }).generatedAlwaysAs(sql`cost_per_unit * quantity_needed`),
      isMandatory: boolean('is_mandatory').default(true),
      isAvailable: boolean('is_available').default(true),
      ...auditTimestamps(),
    },
    (t) => [
      check('chk_resource_type', sql`${t.resourceType} IN ('equipment', 'material', 'facility_feature', 'digital_resource')`),
      check('chk_allocation_status', sql`${t.allocationStatus} IN ('requested', 'allocated', 'unavailable', 'cancelled')`),
      check('chk_resource_quantities', sql`${t.quantityNeeded} > 0 AND ${t.quantityAllocated} >= 0`),
      index('idx_session_resources_session').on(t.sessionId),
    ],
  );

  return { sessionResources };
}
