import { expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/migrate';
import { runEventsWorkerExample } from '../../examples/events-worker/index';

it('examples/events-worker: claims, e-mails, retries one failed delivery, signs a webhook; every line the same each run, nothing left owed', async () => {
  const lines: string[] = [];
  const { consumers } = await runEventsWorkerExample((line) => lines.push(line));
  expect(lines).toEqual([
    // Every migration this version ships (the count grows with the library).
    `Migrated (${MIGRATIONS.length} migrations) and created Dolphins Swim School`,
    'Registered the consumer "email"',
    '',
    '== Changes families care about ==',
    '"Level 1 – Saturday" booked full (Ada, Ben, Cleo); Dev waitlisted',
    'Iris and Jack booked into "Level 2 – Tuesday"',
    'Cleo cancelled: the place is offered to Dev',
    'Dev accepted the offer',
    'The academy cancelled "Level 2 – Tuesday"',
    '',
    '== The e-mail worker ==',
    // The first event of every entity; Dev's booking (made by accepting the offer) comes before the
    // offer itself, which is another entity's: only an entity's own events are ordered.
    'Claim 1: booking.confirmed ×6, session.scheduled ×2, waitlist.joined',
    '  To: grace@dolphins.example | Subject: Ada is booked: Level 1 – Saturday, Sat 12 Jan 10:00',
    '  To: grace@dolphins.example | Subject: Ben is booked: Level 1 – Saturday, Sat 12 Jan 10:00',
    '  To: jin@dolphins.example | Subject: Cleo is booked: Level 1 – Saturday, Sat 12 Jan 10:00',
    '  To: rosa@dolphins.example | Subject: Iris is booked: Level 2 – Tuesday, Tue 8 Jan 17:00',
    '  To: rosa@dolphins.example | Subject: Jack is booked: Level 2 – Tuesday, Tue 8 Jan 17:00',
    '  To: priya@dolphins.example | Subject: Dev is on the waitlist: Level 1 – Saturday, Sat 12 Jan 10:00',
    '  No e-mail for booking.confirmed by waitlist.accept, session.scheduled by sessions.create ×2',
    'Claim 2: booking.cancelled ×3, session.cancelled, waitlist.offered',
    "  To: jin@dolphins.example | Subject: Cleo's place is cancelled: Level 1 – Saturday, Sat 12 Jan 10:00",
    '  To: rosa@dolphins.example | Subject: Class cancelled by the academy (Lap lanes closed for repairs): Iris, Level 2 – Tuesday, Tue 8 Jan 17:00',
    '  To: rosa@dolphins.example | Subject: Class cancelled by the academy (Lap lanes closed for repairs): Jack, Level 2 – Tuesday, Tue 8 Jan 17:00',
    '  To: leo@dolphins.example | Subject: Your class is cancelled: Level 2 – Tuesday, Tue 8 Jan 17:00',
    '  waitlist.offered attempt 1 failed (421 mail server busy, try again later): 1 back to pending',
    // Retried at once, and Dev's promotion waits until the offer before it is acknowledged.
    'Claim 3: waitlist.offered (attempt 2)',
    '  To: priya@dolphins.example | Subject: A place for Dev: Level 1 – Saturday, Sat 12 Jan 10:00 (reply by Wed 9 Jan 08:00)',
    'Claim 4: waitlist.promoted',
    '  To: priya@dolphins.example | Subject: Dev has the place: Level 1 – Saturday, Sat 12 Jan 10:00',
    'Consumer "email" owes: 0 pending, 0 leased, 0 dead',
    '',
    '== The same event as a webhook ==',
    "webhook-id: msg_<the event's id>, the same on every retry",
    // Tue 8 Jan 2030 12:00 in New York, the scheduler's clock when the class was cancelled.
    `webhook-timestamp: ${new Date('2030-01-08T12:00:00-05:00').getTime() / 1000} (when this attempt is sent)`,
    'webhook-signature: v1, and 44 characters of base64 HMAC-SHA256',
    'verifyWebhook: accepted, type session.cancelled',
    'verifyWebhook on a changed body: INVALID_INPUT (no_matching_signature)',
  ]);
  // Every event was delivered and acknowledged: nothing pending, leased or dead.
  expect(consumers).toEqual([expect.objectContaining({ name: 'email', maxAttempts: 5, pending: 0, leased: 0, dead: 0 })]);
}, 120_000); // a cold PGlite start takes seconds on a busy machine
