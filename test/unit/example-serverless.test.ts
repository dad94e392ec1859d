import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createScheduler } from '../../src';
import { createTestDatabase, type TestDatabase } from '../../src/testing';
import { ACTOR_HEADER, createBookingHandler } from '../../examples/serverless/handler';
import { type SwimAcademy, seedSwimAcademy } from '../../examples/shared/swim-academy';

let database: TestDatabase;
let academy: SwimAcademy;
let handleBooking: (request: Request) => Promise<Response>;
let sessionId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  academy = await seedSwimAcademy(database.db);
  handleBooking = createBookingHandler({ db: database.db });
  const { session } = await createScheduler({ db: database.db }).sessions.create(
    { kind: 'admin', userId: academy.adminUserId },
    {
      programId: academy.programId,
      courseId: academy.courses.level1,
      locationId: academy.location.id,
      facilityId: academy.facilities.pool.id,
      instructorId: academy.instructors.maya.id,
      sessionType: 'group',
      title: 'Level 1 – one place',
      capacity: 1,
      startTime: new Date('2035-01-13T15:00:00Z'),
      endTime: new Date('2035-01-13T15:45:00Z'),
    },
  );
  sessionId = session.id;
});

afterAll(async () => database?.close());

/** A POST as a parent of the child (the demo header carries the actor). */
function post(body: unknown, actor: unknown = undefined) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (actor) headers[ACTOR_HEADER] = JSON.stringify(actor);
  return handleBooking(
    new Request('https://academy.example/bookings', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }),
  );
}

const parentOf = (child: 'Ada' | 'Cleo' | 'Dev') => ({ kind: 'parent', parentId: academy.children[child].parent.id });
const booking = (child: 'Ada' | 'Cleo' | 'Dev') => ({ sessionId, studentId: academy.children[child].id, parentId: academy.children[child].parent.id });

async function answer(response: Promise<Response>) {
  const r = await response;
  // The JSON bodies are asserted field by field below; `any` keeps those assertions short.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: r.status, body: (await r.json()) as Record<string, any> };
}

describe('examples/serverless: the booking handler', () => {
  it('201 confirmed for a free place', async () => {
    const { status, body } = await answer(post(booking('Ada'), parentOf('Ada')));
    expect(status).toBe(201);
    expect(body).toMatchObject({ outcome: 'confirmed', booking: { status: 'confirmed' } });
    expect(body.booking.code).toMatch(/^BKG-\d{4}-\d{4,}$/);
  });

  it('201 waitlisted with the position when the class is full', async () => {
    const { status, body } = await answer(post(booking('Cleo'), parentOf('Cleo')));
    expect(status).toBe(201);
    expect(body).toMatchObject({ outcome: 'waitlisted', position: 1, waitlist: { status: 'waiting' } });
  });

  it('409 ALREADY_BOOKED when the child already has the place', async () => {
    const { status, body } = await answer(post(booking('Ada'), parentOf('Ada')));
    expect(status).toBe(409);
    expect(body.error.code).toBe('ALREADY_BOOKED');
    expect(typeof body.error.message).toBe('string');
  });

  it('400 INVALID_INPUT for a body the scheduler refuses, and for one that is not JSON', async () => {
    const missing = await answer(post({ sessionId }, parentOf('Dev')));
    expect(missing).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
    const garbled = await answer(post('{not json', parentOf('Dev')));
    expect(garbled).toMatchObject({ status: 400, body: { error: { code: 'INVALID_INPUT' } } });
  });

  it('404 NOT_FOUND for a session that does not exist', async () => {
    const { status, body } = await answer(post({ ...booking('Dev'), sessionId: randomUUID() }, parentOf('Dev')));
    expect(status).toBe(404);
    expect(body.error.code).toBe('NOT_FOUND');
  });

  it("403 FORBIDDEN for a parent booking someone else's child, 401 without an actor", async () => {
    expect(await answer(post({ sessionId, studentId: academy.children.Dev.id }, parentOf('Ada')))).toMatchObject({
      status: 403,
      body: { error: { code: 'FORBIDDEN' } },
    });
    expect(await answer(post(booking('Dev')))).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
  });
});
