import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareWaitlistEntries, planPromotions, rankWaitlist, type WaitlistEntry } from '../../src/domain';
import { invalidPath } from './fixtures';

const now = new Date('2025-03-01T12:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);
const entry = (id: string, overrides: Partial<WaitlistEntry> = {}): WaitlistEntry => ({
  id,
  studentId: `stu-${id}`,
  position: 1,
  priorityScore: 0,
  addedAt: minutes(-60),
  status: 'waiting',
  responseDeadline: null,
  ...overrides,
});

describe('rankWaitlist', () => {
  it('orders by priority score (desc), position, addedAt, then id', () => {
    const ranked = rankWaitlist([
      entry('e', { position: 1, addedAt: minutes(-10) }),
      entry('d', { position: 1, addedAt: minutes(-20) }),
      entry('c', { position: 3, priorityScore: 5 }),
      entry('b', { position: 2 }),
      entry('a', { position: 2 }),
      entry('f', { position: 1, priorityScore: null, addedAt: minutes(-20) }),
    ]);
    expect(ranked.map((e) => e.id)).toEqual(['c', 'd', 'f', 'e', 'a', 'b']);
  });

  it('is a total order: the result does not depend on input order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            id: fc.string({ minLength: 1, maxLength: 3 }),
            position: fc.integer({ min: 1, max: 4 }),
            priorityScore: fc.integer({ min: 0, max: 2 }),
            added: fc.integer({ min: 0, max: 3 }),
          }),
          { selector: (e) => e.id, maxLength: 20 },
        ),
        (raw) => {
          const entries = raw.map((r) => entry(r.id, { position: r.position, priorityScore: r.priorityScore, addedAt: minutes(r.added) }));
          const forward = rankWaitlist(entries).map((e) => e.id);
          expect(rankWaitlist([...entries].reverse()).map((e) => e.id)).toEqual(forward);
          for (let i = 1; i < forward.length; i++) {
            const a = entries.find((e) => e.id === forward[i - 1])!;
            const b = entries.find((e) => e.id === forward[i])!;
            expect(compareWaitlistEntries(a as never, b as never)).toBeLessThan(0);
          }
        },
      ),
    );
  });
});

describe('planPromotions', () => {
  it('offers free spots to the best-ranked waiting entries with a response deadline', () => {
    const plan = planPromotions({
      entries: [entry('a', { position: 1 }), entry('b', { position: 2, status: 'notified' }), entry('c', { position: 3 })],
      freeSpots: 2,
      now,
      offerWindowMinutes: 90,
      mode: 'offer',
    });
    expect(plan).toEqual({
      offers: [
        { entryId: 'a', studentId: 'stu-a', responseDeadline: minutes(90) },
        { entryId: 'b', studentId: 'stu-b', responseDeadline: minutes(90) },
      ],
      confirmations: [],
      expirations: [],
      skipped: [],
      remainingSpots: 0,
    });
  });

  it('confirms directly in auto mode', () => {
    const plan = planPromotions({ entries: [entry('a'), entry('b', { position: 2 })], freeSpots: 1, now, mode: 'auto' });
    expect(plan.confirmations).toEqual([{ entryId: 'a', studentId: 'stu-a' }]);
    expect(plan.offers).toEqual([]);
  });

  it('counts unexpired offers against free spots and releases expired ones', () => {
    const plan = planPromotions({
      entries: [
        entry('held', { status: 'offered', responseDeadline: minutes(5) }),
        entry('lapsed', { status: 'offered', responseDeadline: now }),
        entry('a', { position: 2 }),
        entry('b', { position: 3 }),
      ],
      freeSpots: 2,
      now,
      offerWindowMinutes: 60,
      mode: 'offer',
    });
    expect(plan.expirations).toEqual([{ entryId: 'lapsed', studentId: 'stu-lapsed', responseDeadline: now }]);
    expect(plan.offers.map((o) => o.entryId)).toEqual(['a']);
    expect(plan.remainingSpots).toBe(0);
  });

  it('skips ineligible students with a reason; they keep their place', () => {
    const plan = planPromotions({
      entries: [entry('a'), entry('b', { position: 2, ineligibleReason: 'unpaid' }), entry('c', { position: 3 }), entry('d', { position: 4 })],
      freeSpots: 2,
      now,
      offerWindowMinutes: 60,
      mode: 'offer',
      ineligible: new Map([['a', 'level_mismatch']]),
    });
    expect(plan.skipped).toEqual([
      { entryId: 'a', reason: 'level_mismatch' },
      { entryId: 'b', reason: 'unpaid' },
    ]);
    expect(plan.offers.map((o) => o.entryId)).toEqual(['c', 'd']);
  });

  it('never offers to a student who already holds an unexpired offer, and ignores non-candidates', () => {
    const plan = planPromotions({
      entries: [
        entry('offered', { studentId: 'kid', status: 'offered', responseDeadline: minutes(30) }),
        entry('again', { studentId: 'kid', position: 2 }),
        entry('done', { status: 'accepted' }),
        entry('gone', { status: 'cancelled' }),
        entry('next', { position: 3 }),
      ],
      freeSpots: 3,
      now,
      offerWindowMinutes: 60,
      mode: 'offer',
    });
    expect(plan.skipped).toEqual([{ entryId: 'again', reason: 'already_offered' }]);
    expect(plan.offers.map((o) => o.entryId)).toEqual(['next']);
    expect(plan.remainingSpots).toBe(1);
  });

  it('never offers more than the free spots and never passes over an eligible higher-ranked entry', () => {
    const statusArb = fc.constantFrom('waiting', 'notified', 'offered', 'accepted', 'declined', 'expired', 'cancelled') as fc.Arbitrary<
      WaitlistEntry['status']
    >;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            position: fc.integer({ min: 1, max: 5 }),
            priorityScore: fc.integer({ min: 0, max: 2 }),
            status: statusArb,
            deadline: fc.integer({ min: -10, max: 10 }),
            ineligible: fc.boolean(),
            student: fc.integer({ min: 0, max: 30 }),
          }),
          { maxLength: 25 },
        ),
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom('offer', 'auto') as fc.Arbitrary<'offer' | 'auto'>,
        (raw, freeSpots, mode) => {
          const entries = raw.map((r, i) =>
            entry(`e${i}`, {
              studentId: `s${r.student}`,
              position: r.position,
              priorityScore: r.priorityScore,
              status: r.status,
              responseDeadline: minutes(r.deadline),
              ineligibleReason: r.ineligible ? 'blocked' : null,
            }),
          );
          const plan = planPromotions({ entries, freeSpots, now, offerWindowMinutes: 30, mode });
          const promoted = [...plan.offers, ...plan.confirmations].map((p) => p.entryId);
          const outstanding = entries.filter((e) => e.status === 'offered' && e.responseDeadline!.getTime() > now.getTime());
          expect(promoted.length).toBeLessThanOrEqual(Math.max(0, freeSpots - outstanding.length));
          expect(new Set(promoted).size).toBe(promoted.length);
          // Eligible candidates in rank order: the promoted ones are exactly a prefix of them.
          const holding = new Set(outstanding.map((e) => e.studentId));
          const eligible: string[] = [];
          for (const e of rankWaitlist(entries.filter((x) => x.status === 'waiting' || x.status === 'notified'))) {
            if (e.ineligibleReason || holding.has(e.studentId!)) continue;
            holding.add(e.studentId!);
            eligible.push(e.id);
          }
          expect(promoted).toEqual(eligible.slice(0, promoted.length));
          expect(promoted.length).toBe(Math.min(eligible.length, Math.max(0, freeSpots - outstanding.length)));
          expect(plan.expirations.map((x) => x.entryId).sort()).toEqual(
            entries
              .filter((e) => e.status === 'offered' && e.responseDeadline!.getTime() <= now.getTime())
              .map((e) => e.id)
              .sort(),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects bad input with a path', () => {
    expect(invalidPath(() => planPromotions({ entries: [entry('a')], freeSpots: -1, now, offerWindowMinutes: 5, mode: 'offer' }))).toEqual(['freeSpots']);
    expect(invalidPath(() => planPromotions({ entries: [entry('a')], freeSpots: 1, now, mode: 'offer' }))).toEqual(['offerWindowMinutes']);
    expect(invalidPath(() => planPromotions({ entries: [entry('a'), entry('a')], freeSpots: 1, now, mode: 'auto' }))).toEqual(['entries', 1, 'id']);
    expect(invalidPath(() => planPromotions({ entries: [entry('a', { status: 'pending' as never })], freeSpots: 1, now, mode: 'auto' }))).toEqual([
      'entries',
      0,
      'status',
    ]);
    expect(invalidPath(() => planPromotions({ entries: [], freeSpots: 1, now: new Date(NaN), mode: 'auto' }))).toEqual(['now']);
    expect(invalidPath(() => rankWaitlist([entry('a', { position: 0 })]))).toEqual(['entries', 0, 'position']);
  });
});
