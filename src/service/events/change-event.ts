import type { changeEvents } from '../../schema/unqualified';
import type { ChangeEventActorKind, ChangeEventEntityType } from '../../schema';

/**
 * One change event: what happened to one row, who did it, through which scheduler
 * method, and the fields that changed (for an insert every non-null field with `old:
 * null`, for a delete every non-null field with `new: null`). Values are as the
 * database's `to_jsonb` writes them: timestamps as ISO strings, numerics as numbers.
 */
export interface ChangeEvent {
  /** Stable id: the same event has the same id in every claim, list and retry. */
  id: string;
  /** What happened, `<entity>.<what>`: `booking.confirmed`, `session.rescheduled`, `waitlist.offered`, … (docs/change-events.md lists them). */
  type: string;
  /** The version of this type's shape; 1 for every type today. */
  typeVersion: number;
  entity: {
    type: ChangeEventEntityType;
    id: string;
    /** The human-readable code (`BKG-2026-0042`), where the entity has one. */
    code: string | null;
    /** 1 for the entity's first event, then 2, 3, … in commit order. */
    version: number;
  };
  /** The session the entity belongs to (the session itself for a session event). */
  sessionId: string | null;
  /**
   * Who. Through the scheduler: the actor's kind, its user id if it has one, and the
   * instructor, parent or student row it acts as (`id`). The host's own SQL: `user` when
   * it set `scheduling.actor_id`, else `system`.
   */
  actor: { kind: ChangeEventActorKind; userId: string | null; id: string | null };
  /** The database role that made the change. */
  dbRole: string;
  /** The scheduler method (`bookings.book`), or null for the host's own SQL. */
  operation: string | null;
  changes: Record<string, { old: unknown; new: unknown }>;
  /** The time of the transaction that made the change. */
  occurredAt: Date;
}

/** @internal */
export function toChangeEvent(row: typeof changeEvents.$inferSelect): ChangeEvent {
  return {
    id: row.id,
    type: row.type,
    typeVersion: row.typeVersion,
    entity: { type: row.entityType, id: row.entityId, code: row.entityCode, version: row.entityVersion },
    sessionId: row.sessionId,
    actor: { kind: row.actorKind, userId: row.actorId, id: row.actorRef },
    dbRole: row.dbRole,
    operation: row.operation,
    changes: row.changes,
    occurredAt: row.occurredAt,
  };
}
