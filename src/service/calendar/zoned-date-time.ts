import { instantToLocalTime } from '../../domain/local-time';

/*
 * ical-generator writes a `Date` with a TZID from the *process's* local clock
 * (`getHours()`), which is right only when the server runs in the location's zone. It
 * writes a Temporal `ZonedDateTime` from that value's own fields instead. Node 20 has no
 * Temporal, so this module gives it the few members it reads (its "stub"), with the wall
 * time computed by the domain's one conversion (`instantToLocalTime`), the same that
 * shows a session's `local` times everywhere else.
 */

/** A wall-clock reading with no zone (what ical-generator prints as `YYYYMMDDTHHMMSS`). */
interface PlainDateTimeStub {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  toPlainDate(): { year: number; month: number; day: number; toJSON(): string; toString(): string };
  toZonedDateTime(timeZone: string): ZonedDateTimeStub;
  toJSON(): string;
  toString(): string;
}

/** An instant read in a zone: the members of Temporal.ZonedDateTime that ical-generator uses. */
export interface ZonedDateTimeStub extends PlainDateTimeStub {
  timeZoneId: string;
  toPlainDateTime(): PlainDateTimeStub;
  withTimeZone(timeZone: string): ZonedDateTimeStub;
  toInstant(): { epochMilliseconds: number; toJSON(): string; toString(): string; toZonedDateTimeISO(timeZone: string): ZonedDateTimeStub };
}

const pad = (value: number) => String(value).padStart(2, '0');

/**
 * `instant` as the wall clocks of `timeZone` read it, in the shape ical-generator writes
 * as `DTSTART;TZID=<zone>:<local time>`.
 *
 * @internal
 */
export function zonedDateTime(instant: Date, timeZone: string): ZonedDateTimeStub {
  const local = instantToLocalTime(instant, timeZone);
  const [year, month, day] = local.date.split('-').map(Number) as [number, number, number];
  const [hour, minute, second = 0] = local.time.split(':').map(Number) as [number, number, number?];
  const wallText = `${local.date}T${pad(hour)}:${pad(minute)}:${pad(second)}`;
  const plain: PlainDateTimeStub = {
    year,
    month,
    day,
    hour,
    minute,
    second,
    toPlainDate: () => ({ year, month, day, toJSON: () => local.date, toString: () => local.date }),
    toZonedDateTime: (zone) => zonedDateTime(instant, zone),
    toJSON: () => wallText,
    toString: () => wallText,
  };
  const iso = instant.toISOString();
  return {
    ...plain,
    timeZoneId: timeZone,
    toPlainDateTime: () => plain,
    withTimeZone: (zone) => zonedDateTime(instant, zone),
    toInstant: () => ({
      epochMilliseconds: instant.getTime(),
      toJSON: () => iso,
      toString: () => iso,
      toZonedDateTimeISO: (zone) => zonedDateTime(instant, zone),
    }),
    toJSON: () => `${wallText}${local.offset}[${timeZone}]`,
    toString: () => `${wallText}${local.offset}[${timeZone}]`,
  };
}
