import { describe, expect, it } from 'vitest';
import { CONFLICT_SEVERITY, detectConflicts, type DetectConflictsInput } from '../../src/domain';
import { invalidPath } from './fixtures';
import { iso } from '../support/time';

const at = (h: number, m = 0) => new Date(Date.UTC(2025, 0, 15, h, m));
type SessionInput = DetectConflictsInput['sessions'][number];
const session = (id: string, startH: number, endH: number, extra: Partial<SessionInput> = {}): SessionInput => ({
  id,
  instructorId: `ins-${id}`,
  facilityId: `fac-${id}`,
  start: at(startH),
  end: at(endH),
  capacity: 5,
  status: 'scheduled',
  ...extra,
});
const summary = (conflicts: ReturnType<typeof detectConflicts>) =>
  conflicts.map((c) => [c.conflictType, c.sessionId, c.conflictingSessionId, iso(c.start), iso(c.end)]);

describe('detectConflicts', () => {
  it('reports an instructor double booking with the overlapping window and ids', () => {
    const conflicts = detectConflicts({
      sessions: [session('s1', 10, 12, { instructorId: 'i1' }), session('s2', 11, 13, { instructorId: 'i1' })],
    });
    expect(conflicts).toEqual([
      {
        conflictType: 'instructor_double_booking',
        severity: 'high',
        sessionId: 's1',
        conflictingSessionId: 's2',
        instructorId: 'i1',
        facilityId: null,
        studentId: null,
        start: at(11),
        end: at(12),
        description: expect.stringContaining('i1'),
        affectedBookings: 0,
      },
    ]);
  });

  it('back-to-back sessions do not conflict', () => {
    expect(
      detectConflicts({
        sessions: [session('s1', 10, 11, { instructorId: 'i1', facilityId: 'f1' }), session('s2', 11, 12, { instructorId: 'i1', facilityId: 'f1' })],
      }),
    ).toEqual([]);
  });

  it('reports a facility overlap', () => {
    const conflicts = detectConflicts({ sessions: [session('s1', 10, 12, { facilityId: 'pool' }), session('s2', 9, 11, { facilityId: 'pool' })] });
    expect(summary(conflicts)).toEqual([['facility_overlap', 's2', 's1', iso(at(10)), iso(at(11))]]);
    expect(conflicts[0]).toMatchObject({ facilityId: 'pool', instructorId: null, severity: 'high' });
  });

  it('ignores cancelled, completed and postponed sessions', () => {
    for (const status of ['cancelled', 'completed', 'postponed'] as const) {
      expect(detectConflicts({ sessions: [session('s1', 10, 12, { instructorId: 'i1' }), session('s2', 10, 12, { instructorId: 'i1', status })] })).toEqual([]);
    }
    expect(
      detectConflicts({ sessions: [session('s1', 10, 12, { instructorId: 'i1' }), session('s2', 10, 12, { instructorId: 'i1', status: 'in_progress' })] }),
    ).toHaveLength(1);
  });

  it('lets a facility run N sessions at once and reports only the over-limit part', () => {
    const sessions = [
      session('a', 9, 11, { facilityId: 'pool' }),
      session('b', 10, 12, { facilityId: 'pool' }),
      { ...session('c', 10, 11, { facilityId: 'pool' }), start: at(10, 30), end: at(11, 30) },
    ];
    expect(detectConflicts({ sessions, facilityMaxConcurrent: { pool: 3 } })).toEqual([]);
    // With 2 allowed, only 10:30–11:00 has three sessions at once; every pair overlapping there is reported.
    expect(summary(detectConflicts({ sessions, facilityMaxConcurrent: new Map([['pool', 2]]) }))).toEqual([
      ['facility_overlap', 'a', 'b', iso(at(10, 30)), iso(at(11))],
      ['facility_overlap', 'a', 'c', iso(at(10, 30)), iso(at(11))],
      ['facility_overlap', 'b', 'c', iso(at(10, 30)), iso(at(11))],
    ]);
  });

  it('lets an instructor teach N sessions at once', () => {
    const sessions = [session('a', 9, 11, { instructorId: 'i1' }), session('b', 10, 12, { instructorId: 'i1' })];
    expect(detectConflicts({ sessions, instructorMaxConcurrent: { i1: 2 } })).toEqual([]);
    expect(detectConflicts({ sessions, instructorMaxConcurrent: { other: 2 } })).toHaveLength(1);
  });

  it('reports a student confirmed on overlapping sessions, ignoring other booking statuses', () => {
    const sessions = [session('s1', 10, 12), session('s2', 11, 13), session('s3', 12, 14)];
    const conflicts = detectConflicts({
      sessions,
      bookings: [
        { bookingId: 'b1', sessionId: 's1', studentId: 'kid', status: 'confirmed' },
        { bookingId: 'b2', sessionId: 's2', studentId: 'kid', status: 'confirmed' },
        { bookingId: 'b3', sessionId: 's3', studentId: 'kid', status: 'pending' },
        { bookingId: 'b4', sessionId: 's3', studentId: 'other', status: 'confirmed' },
      ],
    });
    expect(summary(conflicts)).toEqual([['student_conflict', 's1', 's2', iso(at(11)), iso(at(12))]]);
    expect(conflicts[0]).toMatchObject({ studentId: 'kid', severity: 'high', affectedBookings: 1 });
  });

  it('reports capacity exceeded when confirmed bookings exceed capacity', () => {
    const bookings = ['a', 'b', 'c'].map((s, i) => ({ bookingId: `b${i}`, sessionId: 's1', studentId: s, status: 'confirmed' as const }));
    const over = detectConflicts({ sessions: [session('s1', 10, 11, { capacity: 2 })], bookings });
    expect(over).toEqual([
      expect.objectContaining({ conflictType: 'capacity_exceeded', severity: 'critical', sessionId: 's1', start: at(10), end: at(11), affectedBookings: 3 }),
    ]);
    expect(detectConflicts({ sessions: [session('s1', 10, 11, { capacity: 3 })], bookings })).toEqual([]);
    expect(detectConflicts({ sessions: [session('s1', 10, 11, { capacity: 2, status: 'cancelled' })], bookings })).toEqual([]);
  });

  it('reports an availability mismatch only for instructors with windows', () => {
    const sessions = [
      session('s1', 10, 11, { instructorId: 'i1' }),
      session('s2', 13, 15, { instructorId: 'i1' }),
      session('s3', 20, 21, { instructorId: 'i2' }),
    ];
    const availability = [{ instructorId: 'i1', start: at(9), end: at(14) }];
    const conflicts = detectConflicts({ sessions, availability });
    expect(summary(conflicts)).toEqual([['availability_mismatch', 's2', null, iso(at(13)), iso(at(15))]]);
    expect(conflicts[0]).toMatchObject({ severity: 'medium', instructorId: 'i1' });
  });

  it('documents its severity mapping', () => {
    expect(CONFLICT_SEVERITY).toEqual({
      instructor_double_booking: 'high',
      facility_overlap: 'high',
      student_conflict: 'high',
      capacity_exceeded: 'critical',
      availability_mismatch: 'medium',
    });
  });

  it('rejects bad input with a path', () => {
    expect(invalidPath(() => detectConflicts({ sessions: [session('s1', 10, 10)] }))).toEqual(['sessions', 0, 'end']);
    expect(invalidPath(() => detectConflicts({ sessions: [{ ...session('s1', 10, 11), start: new Date(NaN) }] }))).toEqual(['sessions', 0, 'start']);
    expect(invalidPath(() => detectConflicts({ sessions: [session('s1', 10, 11), session('s1', 12, 13)] }))).toEqual(['sessions', 1, 'id']);
    expect(invalidPath(() => detectConflicts({ sessions: [{ ...session('s1', 10, 11), status: 'open' as never }] }))).toEqual(['sessions', 0, 'status']);
    expect(invalidPath(() => detectConflicts({ sessions: [], facilityMaxConcurrent: { pool: 0 } }))).toEqual(['facilityMaxConcurrent', 'pool']);
    expect(invalidPath(() => detectConflicts(undefined as never))).toEqual([]);
  });
});
