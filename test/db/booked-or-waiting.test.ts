/**
 * A student is never both confirmed in a session and actively waiting (waiting,
 * notified, offered) on its waitlist: the database refuses the second half with
 * SQLSTATE SC008 (ALREADY_BOOKED), whichever comes first, checked at commit so that
 * accepting an offer (booking, then closing the entry) works in one transaction.
 */
import { describe, expect, it } from 'vitest';
import { and, count, eq, sql } from 'drizzle-orm';
import * as s from '../../src/schema';
import { createScheduler } from '../../src';
import { toSchedulingError } from '../../src/db/database-errors';
import { checkDeferredOnCitus, useTestDatabase } from '../support/database';
import { insertSession, seedAcademy, sessionById } from '../support/fixtures';
import { errorOf } from '../support/refusals';
import { at } from '../support/time';

const database = useTestDatabase();

describe('booked or waiting, never both (SC008)', () => {
  it('refuses confirming a student who is waiting, and queueing a student who is confirmed; closed entries do not count', async () => {
    const { db } = database;
    const academy = await seedAcademy(db);
    const [ana, ben, cleo] = academy.studentIds as [string, string, string];
    const session = await insertSession(db, academy, { startTime: at('2031-05-01T10:00:00Z'), endTime: at('2031-05-01T11:00:00Z') });
    const rows = async (table: typeof s.sessionBookings | typeof s.sessionWaitlist, studentId: string) =>
      (
        await db
          .select({ n: count() })
          .from(table)
          .where(and(eq(table.sessionId, session.id), eq(table.studentId, studentId)))
      )[0]!.n;

    // Confirm while waiting.
    const [entry] = await db.insert(s.sessionWaitlist).values({ sessionId: session.id, studentId: ana, position: 1 }).returning();
    const confirm = toSchedulingError(
      await errorOf(() => db.insert(s.sessionBookings).values({ sessionId: session.id, studentId: ana, bookingStatus: 'confirmed' })),
    );
    expect(confirm.code).toBe('ALREADY_BOOKED');
    expect(confirm.details).toMatchObject({ sqlstate: 'SC008', sessionId: session.id, studentId: ana, waitlistId: entry!.id, waitlistStatus: 'waiting' });
    expect(await rows(s.sessionBookings, ana)).toBe(0);
    expect((await sessionById(db, session.id)).currentBookings).toBe(0);

    // Wait while confirmed.
    const [booking] = await db.insert(s.sessionBookings).values({ sessionId: session.id, studentId: ben, bookingStatus: 'confirmed' }).returning();
    const wait = toSchedulingError(await errorOf(() => db.insert(s.sessionWaitlist).values({ sessionId: session.id, studentId: ben, position: 2 })));
    expect(wait.code).toBe('ALREADY_BOOKED');
    expect(wait.details).toMatchObject({ sqlstate: 'SC008', sessionId: session.id, studentId: ben, bookingId: booking!.id, waitlistStatus: 'waiting' });
    expect(await rows(s.sessionWaitlist, ben)).toBe(0);

    // Reactivating either half is refused too: a cancelled booking confirmed again while waiting.
    await db.insert(s.sessionWaitlist).values({ sessionId: session.id, studentId: cleo, position: 2, status: 'offered' });
    await db
      .update(s.sessionWaitlist)
      .set({ status: 'cancelled' })
      .where(and(eq(s.sessionWaitlist.sessionId, session.id), eq(s.sessionWaitlist.studentId, cleo)));
    await db.insert(s.sessionBookings).values({ sessionId: session.id, studentId: cleo, bookingStatus: 'confirmed' });
    const reactivate = toSchedulingError(
      await errorOf(() =>
        db
          .update(s.sessionWaitlist)
          .set({ status: 'waiting' })
          .where(and(eq(s.sessionWaitlist.sessionId, session.id), eq(s.sessionWaitlist.studentId, cleo))),
      ),
    );
    expect(reactivate.details).toMatchObject({ sqlstate: 'SC008', studentId: cleo, waitlistStatus: 'waiting' });
  });

  it('is checked at commit: booking an offered student and closing the entry in one transaction is fine', async () => {
    const { db } = database;
    const academy = await seedAcademy(db);
    const [dev] = academy.studentIds as [string];
    const session = await insertSession(db, academy, { startTime: at('2031-06-01T10:00:00Z'), endTime: at('2031-06-01T11:00:00Z') });
    await db.insert(s.sessionWaitlist).values({ sessionId: session.id, studentId: dev, position: 1, status: 'offered' });
    await db.transaction(async (tx) => {
      await tx.insert(s.sessionBookings).values({ sessionId: session.id, studentId: dev, bookingStatus: 'confirmed' });
      await tx
        .update(s.sessionWaitlist)
        .set({ status: 'accepted' })
        .where(and(eq(s.sessionWaitlist.sessionId, session.id), eq(s.sessionWaitlist.studentId, dev)));
    });
    expect((await sessionById(db, session.id)).currentBookings).toBe(1);
    // Left open at commit, the same pair is refused and nothing stays.
    const [eli] = academy.studentIds.slice(1) as [string];
    await db.insert(s.sessionWaitlist).values({ sessionId: session.id, studentId: eli, position: 1, status: 'offered' });
    const error = toSchedulingError(
      await errorOf(() =>
        db.transaction(async (tx) => {
          await tx.insert(s.sessionBookings).values({ sessionId: session.id, studentId: eli, bookingStatus: 'confirmed' });
          await checkDeferredOnCitus(tx);
        }),
      ),
    );
    expect(error.details).toMatchObject({ sqlstate: 'SC008', studentId: eli, waitlistStatus: 'offered' });
    expect((await sessionById(db, session.id)).currentBookings).toBe(1);
  });

  it("inside a host's transaction ({ tx }) the check runs within the scheduler's call, typed, and the host's transaction stays usable", async () => {
    const academy = await seedAcademy(database.db);
    const { db } = database;
    const session = await insertSession(db, academy, { startTime: at('2031-07-01T10:00:00Z'), endTime: at('2031-07-01T11:00:00Z') });
    const [fay] = academy.studentIds.slice(2) as [string];
    await db.insert(s.sessionBookings).values({ sessionId: session.id, studentId: fay, bookingStatus: 'confirmed' });
    const scheduler = createScheduler({ db });
    let outcome: unknown;
    let stillUsable = false;
    await db
      .transaction(async (tx) => {
        // The host writes a row that breaks the rule; checking waits for commit…
        await tx.insert(s.sessionWaitlist).values({ sessionId: session.id, studentId: fay, position: 1 });
        // …but a scheduler call in the same transaction runs the check before it returns.
        outcome = await errorOf(() => scheduler.sessions.list({ kind: 'admin', userId: academy.adminId }, {}, { tx }));
        await tx.execute(sql`SELECT 1`);
        stillUsable = true;
        tx.rollback();
      })
      .catch(() => undefined);
    expect(outcome).toMatchObject({ code: 'ALREADY_BOOKED', details: { sqlstate: 'SC008', studentId: fay } });
    expect(stillUsable).toBe(true);
  });
});
