import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type * as z from 'zod/mini';
import { SchedulingError } from '../../errors';
import { facilities, holidays, locations } from '../../schema/unqualified';
import type { SchedulingDb } from '../../db/scheduling-db';
import { type FacilityRow, type HolidayRow, type LocationRow, givenFields, requireRow, updatedRow, writing } from './rows';
import type {
  createFacilitySchema,
  createHolidaySchema,
  createLocationSchema,
  updateFacilitySchema,
  updateHolidaySchema,
  updateLocationSchema,
} from './inputs';

/*
 * Where classes happen: locations (with the time zone their wall-clock times are read
 * in), the facilities at each, and the days without classes.
 */

/**
 * Creates a location. The time zone was checked by the input schema; the database
 * checks it again against its own list (`INVALID_INPUT` at `timeZone` either way).
 *
 * @internal
 */
export async function createLocation(tx: SchedulingDb, input: z.output<typeof createLocationSchema>): Promise<LocationRow> {
  const { timeZone, ...fields } = input;
  const [row] = await writing(
    tx
      .insert(locations)
      .values({ ...fields, timezone: timeZone })
      .returning(),
  );
  return row!;
}

/**
 * Changes a location. A new time zone moves every class's local time: the database
 * refuses it when an instructor would then teach more at once than allowed there
 * (`INSTRUCTOR_DOUBLE_BOOKED`, `limit_lowered`), unless overridden.
 *
 * @internal
 */
export async function updateLocation(tx: SchedulingDb, input: z.output<typeof updateLocationSchema>): Promise<LocationRow> {
  const { locationId, timeZone, override: _override, ...fields } = input;
  await requireRow(tx, locations, locationId, 'location', ['locationId'], { lock: true });
  const changes = { ...givenFields(fields), ...(timeZone === undefined ? {} : { timezone: timeZone }) };
  return updatedRow(
    changes,
    () => tx.select().from(locations).where(eq(locations.id, locationId)),
    () =>
      tx
        .update(locations)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(locations.id, locationId))
        .returning(),
  );
}

/**
 * Creates a facility at a location (`NOT_FOUND` at `locationId` when there is none).
 *
 * @internal
 */
export async function createFacility(tx: SchedulingDb, input: z.output<typeof createFacilitySchema>): Promise<FacilityRow> {
  await requireRow(tx, locations, input.locationId, 'location', ['locationId']);
  const [row] = await writing(tx.insert(facilities).values(input).returning());
  return row!;
}

/**
 * Changes a facility. A smaller size or a lower `maxConcurrentSessions` that would
 * strand sessions is refused by the database (`CAPACITY_EXCEEDED`,
 * `FACILITY_OVERLAP`) unless overridden; a facility holding sessions cannot move to
 * another location (`INVALID_INPUT` at `locationId`).
 *
 * @internal
 */
export async function updateFacility(tx: SchedulingDb, input: z.output<typeof updateFacilitySchema>): Promise<FacilityRow> {
  const { facilityId, override: _override, ...fields } = input;
  await requireRow(tx, facilities, facilityId, 'facility', ['facilityId'], { lock: true });
  if (fields.locationId !== undefined) await requireRow(tx, locations, fields.locationId, 'location', ['locationId']);
  const changes = givenFields(fields);
  return updatedRow(
    changes,
    () => tx.select().from(facilities).where(eq(facilities.id, facilityId)),
    () =>
      tx
        .update(facilities)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(facilities.id, facilityId))
        .returning(),
  );
}

/**
 * Refuses a second academy-wide holiday on one date. (A location's holidays are kept
 * one per date by `uk_holiday_location_date`; that constraint treats every NULL
 * location as different, and PostgreSQL 14 has no `NULLS NOT DISTINCT`.)
 */
async function refuseSecondAcademyWideHoliday(tx: SchedulingDb, holidayDate: string, except?: string): Promise<void> {
  const [taken] = await tx
    .select({ id: holidays.id })
    .from(holidays)
    .where(and(isNull(holidays.locationId), eq(holidays.holidayDate, holidayDate), except === undefined ? undefined : ne(holidays.id, except)));
  if (taken) {
    throw new SchedulingError('INVALID_INPUT', `There is already an academy-wide holiday on ${holidayDate}`, { path: ['holidayDate'] });
  }
}

/**
 * Adds a day without classes, at one location or (no `locationId`) everywhere.
 * A second holiday on the same date and location is `INVALID_INPUT` at `holidayDate`.
 *
 * @internal
 */
export async function createHoliday(tx: SchedulingDb, input: z.output<typeof createHolidaySchema>): Promise<HolidayRow> {
  if (input.locationId) await requireRow(tx, locations, input.locationId, 'location', ['locationId']);
  else await refuseSecondAcademyWideHoliday(tx, input.holidayDate);
  const [row] = await writing(tx.insert(holidays).values(input).returning());
  return row!;
}

/**
 * Changes a holiday's date, name or location.
 *
 * @internal
 */
export async function updateHoliday(tx: SchedulingDb, input: z.output<typeof updateHolidaySchema>): Promise<HolidayRow> {
  const { holidayId, ...fields } = input;
  await requireRow(tx, holidays, holidayId, 'holiday', ['holidayId'], { lock: true });
  if (fields.locationId) await requireRow(tx, locations, fields.locationId, 'location', ['locationId']);
  const changes = givenFields(fields);
  if (Object.keys(changes).length > 0) {
    const [current] = await tx.select().from(holidays).where(eq(holidays.id, holidayId));
    const locationId = fields.locationId === undefined ? current!.locationId : fields.locationId;
    if (locationId === null) await refuseSecondAcademyWideHoliday(tx, fields.holidayDate ?? current!.holidayDate, holidayId);
  }
  return updatedRow(
    changes,
    () => tx.select().from(holidays).where(eq(holidays.id, holidayId)),
    () =>
      tx
        .update(holidays)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(eq(holidays.id, holidayId))
        .returning(),
  );
}
