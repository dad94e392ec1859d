/**
 * A booking endpoint as it runs in a serverless function: any platform whose
 * functions take a web `Request` and return a `Response`.
 *
 *   POST /bookings   { "sessionId": "…", "studentId": "…", "parentId": "…" }
 *   → 201 { "outcome": "confirmed", "booking": { … } }
 *   → 201 { "outcome": "waitlisted", "position": 2, "waitlist": { … } }
 *   → 4xx/5xx { "error": { "code": "ALREADY_BOOKED", "message": "…" } }
 *
 * The database is injected: build it once per cold start with your driver, e.g.
 * `drizzle(postgres(process.env.DATABASE_URL!, { max: 1 }))`, and run `migrate` at
 * deploy time rather than per request. The migration SQL is bundled into the
 * library, so the function needs no files from `node_modules`.
 */
import { createScheduler, isSchedulingError, type Actor, type SchedulerOptions, type SchedulingErrorCode } from '../../src';

/**
 * Who is calling, for this example only: a JSON actor such as
 * `{"kind":"parent","parentId":"…"}` in this header. A real app must NEVER trust a
 * client-supplied identity: derive the actor from its authentication (a verified
 * session cookie or JWT) and look the parent or student id up on the server.
 */
export const ACTOR_HEADER = 'x-demo-actor';

/** HTTP status per refusal; codes not listed are server errors (500). */
const STATUS_BY_CODE: Partial<Record<SchedulingErrorCode, number>> = {
  INVALID_INPUT: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ALREADY_BOOKED: 409,
  CAPACITY_EXCEEDED: 409,
  STUDENT_CONFLICT: 409,
  NOT_BOOKABLE: 409,
  WAITLIST_FULL: 409,
};

const json = (status: number, body: unknown) => Response.json(body, { status });
const errorResponse = (status: number, code: string, message: string) => json(status, { error: { code, message } });

/**
 * Builds the handler. Create it once, outside the request path, so the scheduler
 * (and its capacity-policy check) is set up once per cold start.
 *
 * @example
 * ```ts
 * const handleBooking = createBookingHandler({ db });
 * export default { fetch: handleBooking };
 * ```
 */
export function createBookingHandler(options: SchedulerOptions): (request: Request) => Promise<Response> {
  const scheduler = createScheduler(options);

  return async function handleBooking(request) {
    if (request.method !== 'POST') return errorResponse(405, 'METHOD_NOT_ALLOWED', 'Use POST');
    const actor = readActor(request);
    if (!actor) return errorResponse(401, 'UNAUTHENTICATED', `Send the caller as JSON in the ${ACTOR_HEADER} header`);
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return errorResponse(400, 'INVALID_INPUT', 'The body must be JSON');
    }

    try {
      // The scheduler validates the body itself (unknown keys, uuids): no second schema here.
      const result = await scheduler.bookings.book(actor, body as Parameters<typeof scheduler.bookings.book>[1]);
      if (result.outcome === 'confirmed') {
        const { id, bookingId, bookingStatus } = result.booking;
        return json(201, { outcome: 'confirmed', booking: { id, code: bookingId, status: bookingStatus } });
      }
      const { id, waitlistId, status } = result.entry;
      return json(201, { outcome: 'waitlisted', position: result.position, waitlist: { id, code: waitlistId, status } });
    } catch (error) {
      if (isSchedulingError(error)) {
        const status = STATUS_BY_CODE[error.code] ?? 500;
        // Refusals explain themselves to the caller; a server-side failure is logged, not shown.
        if (status !== 500) return errorResponse(status, error.code, error.message);
        console.error(error);
        return errorResponse(500, error.code, 'The booking could not be made; please try again');
      }
      console.error(error);
      return errorResponse(500, 'INTERNAL', 'The booking could not be made; please try again');
    }
  };
}

/** The actor from the demo header, or undefined when it is missing or not JSON (the scheduler validates its shape). */
function readActor(request: Request): Actor | undefined {
  const header = request.headers.get(ACTOR_HEADER);
  if (!header) return undefined;
  try {
    return JSON.parse(header) as Actor;
  } catch {
    return undefined;
  }
}
