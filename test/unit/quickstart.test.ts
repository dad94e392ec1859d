import { expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/migrate';
import { runQuickstart } from '../../examples/quickstart/index';

it("the quickstart (npm run demo) prints the whole story deterministically, times in the location's zone", async () => {
  const lines: string[] = [];
  await runQuickstart((line) => lines.push(line));
  expect(lines).toEqual([
    // Every migration this version ships, in order (the list grows with the library).
    `Migrated a fresh PGlite database: ${MIGRATIONS.map((m) => m.name).join(', ')}`,
    'Created Dolphins Swim School (America/New_York): Teaching pool, Lap lanes, instructors Maya Ortiz and Leo Brooks, 12 children in 9 families',
    '',
    '== Availability ==',
    'Maya Ortiz: Sat 09:00–13:00',
    'Leo Brooks: Tue 16:00–19:00',
    'Leo Brooks: Sat 09:00–12:00',
    '',
    '== Classes for the spring term ==',
    '"Level 1 on Saturdays": 12 classes, Sat 12 Jan to Sat 30 Mar, 10:00–10:45',
    '"Level 2 on Tuesdays": 12 classes, Tue 8 Jan to Tue 26 Mar, 17:00–17:45',
    'Across the DST change: Sat 9 Mar 10:00 is 15:00 UTC, Sat 16 Mar 10:00 is 14:00 UTC',
    '',
    '== Bookings for Saturday 12 January ==',
    'Confirmed: Ada, Ben, Cleo, Dev, Eli (the class is full at 5)',
    'Waitlisted: Fay #1, Gus #2, Hana #3',
    'Iris and Jack booked together into "Level 2 – Tuesday" on Tue 8 Jan: 2 places',
    '',
    '== A cancellation frees a place ==',
    'Cleo cancelled; the place is offered to Fay until Wed 9 Jan 08:00',
    'Notification to send (email): Tom Novak, "Fay can have a place on Sat 12 Jan 10:00"',
    'Fay accepted: booking confirmed; Gus is now #1 of 2 waiting',
    '',
    '== Conflicts ==',
    'Private lesson with Maya on Sat 12 Jan 10:30 refused: INSTRUCTOR_DOUBLE_BOOKED (she teaches "Level 1 – Saturday")',
    'Free to teach then: Leo Brooks',
    'Override recorded: instructor_double_booking, resolved by manual_override',
    '',
    '== Timetable, week of Mon 7 Jan (America/New_York) ==',
    'Tue 8 Jan   17:00–17:45  Level 2 – Tuesday     Lap lanes      Leo Brooks  2/4',
    'Sat 12 Jan  10:00–10:45  Level 1 – Saturday    Teaching pool  Maya Ortiz  5/5 full',
    '            10:30–11:00  Private lesson – Kai  Lap lanes      Maya Ortiz  1/1 full',
    '',
    '== Saturday: the class runs ==',
    'Checked in: Ada present (09:57), Ben present (09:57), Fay present (09:59), Eli late (10:14)',
    'Class completed: 4 attended, no-show: Dev',
    '',
    '== Feedback ==',
    '"Level 1 – Saturday" on Sat 12 Jan: 2 reviews, overall 4.5/5',
    '',
    '== Change events ==',
    'The mailer claimed 18 events: attendance.recorded ×4, booking.cancelled ×1, booking.completed ×4, booking.confirmed ×2, booking.no_show ×1, conflict.detected ×1, session.completed ×1, session.scheduled ×1, session.started ×1, waitlist.offered ×1, waitlist.promoted ×1',
    "First: booking.cancelled, Cleo's booking, by bookings.cancel as parent (Cleo's parent), booking_status confirmed → cancelled",
    '',
    '== Calendar feed ==',
    "Ada's calendar (text/calendar; charset=utf-8): 1 event(s), time zones America/New_York",
    'First class: DTSTART;TZID=America/New_York:20300112T100000, SEQUENCE:2, STATUS:CONFIRMED',
  ]);
}, 120_000); // a cold PGlite start takes seconds on a busy machine
