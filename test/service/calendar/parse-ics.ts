/**
 * Reads a feed back with an independent parser (ical.js), as a calendar app would: every
 * VTIMEZONE registered first, so each event's start converts to the instant the feed means.
 */
import ICAL from 'ical.js';

/** One VEVENT as a calendar app reads it. */
export interface ParsedEvent {
  uid: string;
  sequence: number;
  status: string | null;
  summary: string;
  location: string;
  description: string | null;
  /** The instants the event's DTSTART and DTEND denote (through their zone). */
  start: Date;
  end: Date;
  /** The TZID of DTSTART (null for a UTC time). */
  tzid: string | null;
  /** DTSTART's wall-clock time as written, `YYYY-MM-DDTHH:MM:SS`. */
  localStart: string;
}

/** A parsed feed: the calendar's own properties, the zones it defines, its events. */
export interface ParsedFeed {
  property: (name: string) => string | null;
  /** Every property name of the VCALENDAR and of its VEVENTs (lower case). */
  propertyNames: string[];
  timezones: string[];
  events: ParsedEvent[];
}

export function parseFeed(ics: string): ParsedFeed {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const timezones = calendar.getAllSubcomponents('vtimezone').map((zone) => {
    ICAL.TimezoneService.register(zone);
    return String(zone.getFirstPropertyValue('tzid'));
  });
  const vevents = calendar.getAllSubcomponents('vevent');
  const events = vevents.map((vevent): ParsedEvent => {
    const event = new ICAL.Event(vevent);
    const tzid = vevent.getFirstProperty('dtstart')?.getParameter('tzid');
    const description = vevent.getFirstPropertyValue('description');
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: (vevent.getFirstPropertyValue('status') as string | null) ?? null,
      summary: event.summary,
      location: event.location,
      description: description === null ? null : String(description),
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
      tzid: typeof tzid === 'string' ? tzid : null,
      localStart: event.startDate.toString().slice(0, 19),
    };
  });
  const propertyNames = [calendar, ...vevents].flatMap((component) => component.getAllProperties().map((p) => p.name));
  return {
    property: (name) => {
      const value = calendar.getFirstPropertyValue(name);
      return value === null ? null : String(value);
    },
    propertyNames,
    timezones,
    events,
  };
}

/** The event of a session, by the UID the feed gives it. */
export function eventOf(feed: ParsedFeed, sessionId: string): ParsedEvent | undefined {
  return feed.events.find((event) => event.uid === `${sessionId}@academy-scheduling`);
}
