import type * as z from 'zod/mini';
import { type SQL, and, asc, desc, eq, gt, gte, inArray, lt, sql } from 'drizzle-orm';
import { type SchedulingDb } from '../../db/scheduling-db';
import { changeEvents } from '../../schema/unqualified';
import { invalidInput } from '../../domain/validate';
import { type ChangeEvent, toChangeEvent } from './change-event';
import type { listEventsSchema } from './inputs';

/** A page of `events.list`: pass `nextCursor` back for the next one (null: no more). */
export interface ChangeEventPage {
  events: ChangeEvent[];
  nextCursor: string | null;
}

/**
 * Where a page ended, as the cursor: `v<version>` for one entity's events, else
 * `e<event id>` (its time is read back in full precision; JS dates stop at
 * milliseconds). Plain ASCII, no Buffer: the service also runs where Node's globals do not.
 */
type Position = { id: string } | { v: number };

const encode = (position: Position) => ('v' in position ? `v${position.v}` : `e${position.id}`);

function decode(cursor: string, oneEntity: boolean): Position {
  const version = /^v(\d{1,9})$/.exec(cursor);
  if (oneEntity && version) return { v: Number(version[1]) };
  const event = /^e([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.exec(cursor);
  if (!oneEntity && event) return { id: event[1]! };
  throw invalidInput('not a cursor of this listing: pass the nextCursor of the previous page, with the same filters', ['cursor'], { argument: 'input' });
}

/**
 * The change events that match every filter given, oldest first (or newest first), a
 * page at a time. For one entity (`entityId`) they come in its version order, which is
 * commit order; otherwise by the time of their transaction, then id.
 *
 * @internal
 */
export async function listEvents(tx: SchedulingDb, input: z.output<typeof listEventsSchema>): Promise<ChangeEventPage> {
  const e = changeEvents;
  const oneEntity = input.entityId !== undefined;
  const newest = input.order === 'newest';
  const filters: Array<SQL | undefined> = [
    input.entityType ? eq(e.entityType, input.entityType) : undefined,
    input.entityId ? eq(e.entityId, input.entityId) : undefined,
    input.sessionId ? eq(e.sessionId, input.sessionId) : undefined,
    input.actorId ? eq(e.actorId, input.actorId) : undefined,
    input.actingAs ? eq(e.actorRef, input.actingAs) : undefined,
    input.types ? inArray(e.type, input.types) : undefined,
    input.from ? gte(e.occurredAt, input.from) : undefined,
    input.until ? lt(e.occurredAt, input.until) : undefined,
  ];
  if (input.cursor) {
    const at = decode(input.cursor, oneEntity);
    const after = newest ? lt : gt;
    if ('v' in at) filters.push(after(e.entityVersion, at.v));
    else {
      // A purged event's cursor finds no row: the comparison is NULL and the page empty.
      const last = sql`(SELECT p.occurred_at, p.id FROM change_events p WHERE p.id = ${at.id})`;
      filters.push(newest ? sql`(${e.occurredAt}, ${e.id}) < ${last}` : sql`(${e.occurredAt}, ${e.id}) > ${last}`);
    }
  }
  const direction = newest ? desc : asc;
  const rows = await tx
    .select()
    .from(e)
    .where(and(...filters))
    .orderBy(...(oneEntity ? [direction(e.entityVersion)] : [direction(e.occurredAt), direction(e.id)]))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > input.limit && last ? encode(oneEntity ? { v: last.entityVersion } : { id: last.id }) : null;
  return { events: page.map(toChangeEvent), nextCursor };
}
