/**
 * docs/guarantees.md as data: each guarantee, how a violation shows in
 * `verifyIntegrity`, and every write that can change what it protects with the
 * trigger that guards it. `inventory.test.ts` checks that the page lists exactly these
 * rows, that every named trigger exists in a migrated database, and that every write
 * that must be refused has at least one attack in `attacks.ts`.
 */
import type { IntegrityFinding } from '../../src/service/maintenance/integrity';

export type GuaranteeId = 'G1' | 'G2' | 'G3' | 'G4' | 'G5' | 'G6' | 'G7' | 'G8';

export interface Guarantee {
  id: GuaranteeId;
  sqlstate: string;
  code: string;
  /** The verifyIntegrity finding kinds that show a violation of it. */
  findings: Array<IntegrityFinding['kind']>;
}

export const GUARANTEES: readonly Guarantee[] = [
  { id: 'G1', sqlstate: 'SC001', code: 'CAPACITY_EXCEEDED', findings: ['booking_count_drift', 'over_capacity'] },
  { id: 'G2', sqlstate: 'SC003', code: 'INSTRUCTOR_DOUBLE_BOOKED', findings: ['instructor_overlap'] },
  { id: 'G3', sqlstate: 'SC004', code: 'FACILITY_OVERLAP', findings: ['facility_overlap'] },
  { id: 'G4', sqlstate: 'SC005', code: 'STUDENT_CONFLICT', findings: ['student_overlap'] },
  { id: 'G5', sqlstate: 'SC002', code: 'CAPACITY_POLICY_VIOLATION', findings: ['capacity_outside_policy'] },
  { id: 'G6', sqlstate: 'SC009', code: 'WAITLIST_POSITION_CONFLICT', findings: ['waitlist_positions'] },
  { id: 'G7', sqlstate: 'SC008', code: 'ALREADY_BOOKED', findings: ['booked_and_waiting'] },
  { id: 'G8', sqlstate: 'SC001', code: 'CAPACITY_EXCEEDED', findings: ['held_offers_over_capacity'] },
];

/** One row of the inventory: `guard` is the cell of the page, its first `trigger_…` name the trigger that must exist. */
export interface InventoryEntry {
  guarantee: GuaranteeId;
  table: string;
  writes: string;
  guard: string;
}

const row = (guarantee: GuaranteeId, table: string, writes: string, guard: string): InventoryEntry => ({ guarantee, table, writes, guard });

export const INVENTORY: readonly InventoryEntry[] = [
  row('G1', 'session_bookings', 'INSERT (confirmed)', '`trigger_update_session_bookings`: locks the session, refuses a full or inactive one, counts +1'),
  row('G1', 'session_bookings', 'UPDATE OF booking_status (to confirmed)', '`trigger_update_session_bookings`'),
  row(
    'G1',
    'session_bookings',
    'UPDATE OF session_id (a confirmed booking moved)',
    '`trigger_update_session_bookings`: both sessions locked in id order, −1 / +1',
  ),
  row('G1', 'session_bookings', 'UPDATE OF booking_status (away from confirmed), DELETE', 'cannot break: `trigger_update_session_bookings` counts −1'),
  row('G1', 'session_bookings', 'TRUNCATE', '`trigger_reset_booking_counters`: every counter back to 0'),
  row(
    'G1',
    'session_bookings',
    'TRUNCATE (above READ COMMITTED)',
    '`trigger_bookings_truncate_isolation`: refused (`truncate_isolation`), the reset would run on an older snapshot',
  ),
  row('G1', 'sessions', 'UPDATE OF capacity (lowered)', '`trigger_validate_session_capacity`: not below confirmed (`below_confirmed`)'),
  row(
    'G1',
    'sessions',
    'UPDATE OF current_bookings',
    '`trigger_guard_booking_counter`: only to the confirmed count (`derived_counter`), except from inside a trigger',
  ),
  row(
    'G1',
    'sessions',
    'UPDATE OF current_bookings (from inside any trigger)',
    '`trigger_check_booking_counter` (at commit): equal to the confirmed bookings (`derived_counter`)',
  ),
  row('G1', 'sessions', 'INSERT', '`trigger_guard_booking_counter`: `current_bookings` starts at 0'),
  row('G1', 'sessions', 'UPDATE OF status (to inactive)', 'cannot break: an inactive session takes no confirmation (SC007)'),
  row('G1', 'sessions', 'every write', '`chk_session_bookings`: 0 ≤ current_bookings ≤ capacity, the last line'),

  row(
    'G2',
    'sessions',
    'INSERT',
    "`trigger_detect_conflicts` → `enforce_concurrency_limit`: touches the instructor, checks the new session's limit and each overlapping session's",
  ),
  row('G2', 'sessions', 'UPDATE OF start_time, end_time, instructor_id, location_id, status (back to active)', '`trigger_detect_conflicts`'),
  row('G2', 'sessions', 'UPDATE OF status (to inactive), DELETE, TRUNCATE', 'cannot break'),
  row('G2', 'instructors', 'UPDATE OF max_concurrent_sessions (lowered)', '`trigger_instructor_limit_changed` (`limit_lowered`)'),
  row(
    'G2',
    'instructor_availability',
    'INSERT, UPDATE (any column), DELETE',
    '`trigger_availability_changed`: touches the instructor, re-checks all their active sessions (`limit_lowered`)',
  ),
  row('G2', 'instructor_availability', 'TRUNCATE', '`trigger_availability_truncated`'),
  row('G2', 'instructor_availability', 'TRUNCATE (above READ COMMITTED)', '`trigger_availability_truncate_isolation`: refused (`truncate_isolation`)'),
  row(
    'G2',
    'sessions',
    'INSERT, UPDATE OF facility_id, location_id',
    "`trigger_session_facility_location`: the facility is at the session's location (`chk_session_facility_location`), so the location's guard rows cover it",
  ),
  row('G2', 'facilities', 'UPDATE OF location_id', '`trigger_facility_keeps_location`: refused while it holds sessions; touches the new location'),
  row(
    'G2',
    'locations',
    'UPDATE OF timezone',
    '`trigger_location_zone_changed`: touches every instructor and facility, re-checks the instructors with sessions there',
  ),

  row('G3', 'sessions', 'INSERT', '`trigger_detect_conflicts` → `enforce_concurrency_limit`: touches the facility and counts under it'),
  row('G3', 'sessions', 'UPDATE OF start_time, end_time, facility_id, status (back to active)', '`trigger_detect_conflicts`'),
  row('G3', 'sessions', "UPDATE OF capacity (above the facility's size)", '`trigger_detect_conflicts` (`facility_capacity`, overridable)'),
  row('G3', 'sessions', 'UPDATE OF status (to inactive), DELETE, TRUNCATE', 'cannot break'),
  row('G3', 'facilities', 'UPDATE OF max_concurrent_sessions (lowered)', '`trigger_facility_limits_changed` (`limit_lowered`)'),
  row('G3', 'facilities', "UPDATE OF capacity (lowered below a live session's)", '`trigger_facility_limits_changed` (`facility_capacity`)'),
  row('G3', 'facilities', 'INSERT', '`trigger_facility_added`: touches the policy rows and its location (guard rows of G5 and G2)'),

  row(
    'G4',
    'session_bookings',
    'INSERT (confirmed), UPDATE OF booking_status, session_id, student_id',
    '`trigger_update_session_bookings` → `enforce_student_free`: touches the student, refuses an overlapping active confirmed booking',
  ),
  row(
    'G4',
    'sessions',
    'UPDATE OF start_time, end_time, location_id, status (back to active)',
    '`trigger_detect_conflicts` → `enforce_student_free` for each confirmed student',
  ),
  row('G4', 'session_bookings', 'DELETE, UPDATE away from confirmed; sessions to inactive', 'cannot break'),
  row('G4', 'session_bookings', 'TRUNCATE', 'cannot break: no booking is left'),

  row(
    'G5',
    'sessions',
    'INSERT, UPDATE OF capacity, session_type',
    '`trigger_validate_session_capacity`: reads the policy `FOR SHARE`; a missing policy refuses (`policy_removed`)',
  ),
  row(
    'G5',
    'sessions',
    'UPDATE OF status (cancelled or completed back to live)',
    '`trigger_validate_session_capacity`: checked against the policy as it is now',
  ),
  row('G5', 'sessions', 'the same writes', '`trigger_detect_conflicts`: touches the facility (the guard row a policy change touches)'),
  row('G5', 'capacity_policies', 'UPDATE', '`trigger_validate_capacity_policy_change`: touches every facility, refuses while a live session would be outside'),
  row('G5', 'capacity_policies', 'INSERT', '`trigger_validate_capacity_policy_insert`'),
  row('G5', 'capacity_policies', 'DELETE', '`trigger_refuse_policy_delete` (`policy_removed`)'),
  row('G5', 'capacity_policies', 'TRUNCATE', '`trigger_refuse_policy_truncate` (`policy_removed`)'),
  row('G5', 'sessions', 'UPDATE OF status (to cancelled or completed), DELETE, TRUNCATE', 'cannot break: the policy applies to live sessions'),

  row(
    'G6',
    'session_waitlist',
    'INSERT, UPDATE OF position, status, session_id, DELETE',
    '`trigger_waitlist_positions` (at commit): touches the session, refuses positions that are not 1..n',
  ),
  row('G6', 'session_waitlist', 'TRUNCATE', 'cannot break: no queue is left'),

  row(
    'G7',
    'session_bookings',
    'INSERT, UPDATE OF booking_status, session_id, student_id (to confirmed)',
    '`trigger_booking_not_waiting` (at commit): touches the student',
  ),
  row(
    'G7',
    'session_waitlist',
    'INSERT, UPDATE OF status, session_id, student_id (to waiting, notified, offered)',
    '`trigger_waiting_not_booked` (at commit): touches the student',
  ),
  row('G7', 'session_bookings, session_waitlist', 'DELETE, TRUNCATE, UPDATE away from confirmed or from an active entry', 'cannot break'),

  row(
    'G8',
    'session_bookings',
    'INSERT, UPDATE (to confirmed)',
    "`trigger_update_session_bookings`: confirmed + other students' open offers < capacity (`held_offers`)",
  ),
  row(
    'G8',
    'session_waitlist',
    'INSERT, UPDATE OF status, session_id, student_id (to offered)',
    '`trigger_offer_holds_place`: touches the session, confirmed + offers ≤ capacity (`held_offers`)',
  ),
  row(
    'G8',
    'session_bookings',
    'UPDATE OF student_id (a confirmed place handed to another student)',
    "`trigger_update_session_bookings`: the old student's open offer counts again (`held_offers`)",
  ),
  row('G8', 'sessions', 'UPDATE OF capacity (lowered)', '`trigger_validate_session_capacity`: not below confirmed + open offers (`below_held_offers`)'),
  row('G8', 'session_waitlist, session_bookings', 'DELETE, TRUNCATE, UPDATE away from offered or from confirmed', 'cannot break'),
];

/** An entry's key, as attacks name what they attack. */
export const entryKey = (entry: Pick<InventoryEntry, 'guarantee' | 'table' | 'writes'>) => `${entry.guarantee} ${entry.table}: ${entry.writes}`;

/** The entries whose writes can break the guarantee, so an attack must prove the guard. */
export function mustBeAttacked(entry: InventoryEntry): boolean {
  return !entry.guard.startsWith('cannot break') && !entry.guard.startsWith('`chk_');
}

/** The trigger an entry names (its first `trigger_…`), if any. */
export function triggerOf(entry: InventoryEntry): string | undefined {
  return /`(trigger_[a-z_]+)`/.exec(entry.guard)?.[1];
}
