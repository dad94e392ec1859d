import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import type { SessionStatus } from '../../domain/statuses';
import type { FeedSession } from './feed-sessions';
import { zonedDateTime } from './zoned-date-time';

/** The media type of a feed (RFC 5545 section 8.1). */
export const CALENDAR_CONTENT_TYPE = 'text/calendar; charset=utf-8';

/** How often a subscribed calendar should fetch the feed again: `REFRESH-INTERVAL` and `X-PUBLISHED-TTL`. */
const REFRESH_SECONDS = 3600;

/** The domain of every UID: a session's UID is `<session uuid>@academy-scheduling`, the same for its whole life. */
const UID_DOMAIN = 'academy-scheduling';

/**
 * How a session's status reads in a calendar. A postponed session keeps its old times
 * until it is given new ones: tentative, not cancelled, so the event comes back as
 * confirmed (with a higher SEQUENCE) when it is resumed.
 */
const EVENT_STATUS: Record<SessionStatus, ICalEventStatus> = {
  scheduled: ICalEventStatus.CONFIRMED,
  in_progress: ICalEventStatus.CONFIRMED,
  completed: ICalEventStatus.CONFIRMED,
  postponed: ICalEventStatus.TENTATIVE,
  cancelled: ICalEventStatus.CANCELLED,
};

/**
 * The UID of a session's event.
 *
 * @internal
 */
export function sessionUid(sessionId: string): string {
  return `${sessionId}@${UID_DOMAIN}`;
}

/**
 * A feed as RFC 5545 text: one VEVENT per session (never a recurrence rule: each
 * occurrence is a session with its own changes), times in the session's location's zone
 * (`DTSTART;TZID=…`) with one VTIMEZONE per zone used. A zone the bundled VTIMEZONE data
 * does not know is written in UTC rather than as a TZID nobody can resolve. The calendar
 * is published (`METHOD:PUBLISH`), not an invitation: no ORGANIZER, no ATTENDEE, and
 * nothing about who booked — only the timetable (title, times, place, description).
 *
 * @internal
 */
export function renderIcs(sessions: readonly FeedSession[], now: Date): string {
  const calendar = ical({
    prodId: { company: UID_DOMAIN, product: 'calendar feed', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: REFRESH_SECONDS,
  });
  // No calendar-wide zone (`name: null`): with one, ical-generator writes DTSTAMP from
  // the process's local clock; this way only the events carry zones, and every zone an
  // event uses gets its VTIMEZONE from the generator.
  calendar.timezone({ name: null, generator: getVtimezoneComponent });
  const known = new Map<string, boolean>();
  const hasVtimezone = (zone: string) => {
    let found = known.get(zone);
    if (found === undefined) known.set(zone, (found = zone !== 'UTC' && getVtimezoneComponent(zone) !== null));
    return found;
  };
  for (const session of sessions) {
    const zone = hasVtimezone(session.timeZone) ? session.timeZone : null;
    calendar.createEvent({
      id: sessionUid(session.id),
      sequence: session.calendarSequence,
      stamp: now,
      start: zone ? zonedDateTime(session.startTime, zone) : session.startTime,
      end: zone ? zonedDateTime(session.endTime, zone) : session.endTime,
      timezone: zone,
      summary: session.title,
      location: [session.locationName, session.facilityName].filter(Boolean).join(', '),
      description: session.description,
      status: EVENT_STATUS[session.status],
    });
  }
  return calendar.toString();
}
