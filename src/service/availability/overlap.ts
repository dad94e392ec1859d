import type { instructorAvailability } from '../../schema/unqualified';

type Slot = Pick<
  typeof instructorAvailability.$inferSelect,
  'availabilityType' | 'dayOfWeek' | 'specificDate' | 'startTime' | 'endTime' | 'effectiveFrom' | 'effectiveUntil'
>;

/**
 * Whether two availability slots of one instructor clash: same type, intersecting
 * times (half-open), and a date both apply to — weekly slots on the same weekday with
 * intersecting effective ranges, the same specific date, or a specific date inside a
 * weekly slot's range on its weekday. Slots of different types may overlap on
 * purpose (a temporary schedule or exception replaces the regular one). This is the
 * rule the `validate_instructor_availability` trigger enforces; checking it first
 * lets the service name every clashing slot.
 *
 * @internal
 */
export function availabilitySlotsOverlap(a: Slot, b: Slot): boolean {
  if (a.availabilityType !== b.availabilityType) return false;
  if (!(a.startTime < b.endTime && b.startTime < a.endTime)) return false;
  if (a.specificDate && b.specificDate) return a.specificDate === b.specificDate;
  if (a.specificDate) return dateInWeeklySlot(a.specificDate, b);
  if (b.specificDate) return dateInWeeklySlot(b.specificDate, a);
  return a.dayOfWeek === b.dayOfWeek && a.effectiveFrom <= (b.effectiveUntil ?? '9999-12-31') && b.effectiveFrom <= (a.effectiveUntil ?? '9999-12-31');
}

function dateInWeeklySlot(date: string, weekly: Slot): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === weekly.dayOfWeek && date >= weekly.effectiveFrom && date <= (weekly.effectiveUntil ?? '9999-12-31');
}
