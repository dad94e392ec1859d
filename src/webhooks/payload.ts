import { webhookRefusal } from './refusal';

/**
 * What a webhook is built from: any event with a stable `id`, a `type` and the time it
 * happened, such as a change event of the scheduler. Its other fields go into `data`.
 */
export interface WebhookEvent {
  /** Stable: the same event has the same id on every retry. */
  id: string;
  /** What happened (`booking.confirmed`): the payload's `type`. */
  type: string;
  /** When it happened: the payload's `timestamp`. */
  occurredAt: Date;
}

/** The JSON body {@link webhookPayload} writes, as Standard Webhooks lays it out. */
export interface WebhookPayload {
  type: string;
  /** `occurredAt`, ISO 8601. */
  timestamp: string;
  /** The whole event, every `Date` in it an ISO 8601 string. */
  data: Record<string, unknown>;
}

function checkEvent(event: unknown): asserts event is WebhookEvent {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw webhookRefusal('Invalid input: expected an event object', [], { expected: 'object' });
  }
  const { id, type, occurredAt } = event as Partial<Record<keyof WebhookEvent, unknown>>;
  if (typeof id !== 'string' || id === '') throw webhookRefusal('Invalid input at id: expected a non-empty string', ['id'], { expected: 'string' });
  if (typeof type !== 'string' || type === '') throw webhookRefusal('Invalid input at type: expected a non-empty string', ['type'], { expected: 'string' });
  if (!(occurredAt instanceof Date) || Number.isNaN(occurredAt.getTime())) {
    throw webhookRefusal('Invalid input at occurredAt: expected a valid Date', ['occurredAt'], { reason: 'bad_timestamp' });
  }
}

/**
 * The body of the webhook for one event, as a JSON string: `{ type, timestamp, data }`
 * (Standard Webhooks), `timestamp` being `occurredAt` in ISO 8601 and `data` the
 * whole event, its `Date`s as ISO 8601 strings. Sign and send this exact string.
 *
 * An event without a string `id` and `type` is `INVALID_INPUT` at that field; an
 * invalid `occurredAt`, `reason: 'bad_timestamp'`; one JSON cannot hold (a `bigint`,
 * a cycle), `reason: 'bad_payload'`.
 *
 * @example
 * ```ts
 * import { webhookPayload } from 'academy-scheduling/webhooks';
 *
 * const body = webhookPayload({
 *   id: '0b9e5a4c-6f1d-4a8e-9c2b-3d7f1e0a5b6c',
 *   type: 'booking.confirmed',
 *   occurredAt: new Date('2030-01-07T16:30:00Z'),
 *   sessionId,
 * });
 * // {"type":"booking.confirmed","timestamp":"2030-01-07T16:30:00.000Z","data":{"id":"0b9e…","type":"booking.confirmed","occurredAt":"2030-01-07T16:30:00.000Z","sessionId":"…"}}
 * console.log(body);
 * ```
 */
export function webhookPayload<E extends WebhookEvent>(event: E): string {
  checkEvent(event);
  try {
    return JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data: event });
  } catch (cause) {
    throw webhookRefusal(
      `Invalid input: the event cannot be written as JSON (${cause instanceof Error ? cause.message : String(cause)})`,
      [],
      { reason: 'bad_payload' },
      cause,
    );
  }
}

/**
 * The `webhook-id` of an event's webhook: `msg_` and the event's id. It depends on the
 * event alone, so every retry of the same event carries the same id and the receiver
 * can drop one it has already handled.
 *
 * @example
 * ```ts
 * import { webhookMessageId } from 'academy-scheduling/webhooks';
 *
 * webhookMessageId({ id: '0b9e5a4c-6f1d-4a8e-9c2b-3d7f1e0a5b6c' }); // 'msg_0b9e5a4c-6f1d-4a8e-9c2b-3d7f1e0a5b6c'
 * ```
 */
export function webhookMessageId<E extends Pick<WebhookEvent, 'id'>>(event: E): string {
  const id = (event as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || id === '') throw webhookRefusal('Invalid input at id: expected a non-empty string', ['id'], { expected: 'string' });
  return `msg_${id}`;
}
