import { webhookRefusal } from './refusal';
import { webhookKey, type WebhookSecret } from './secret';
import { webhookSignature } from './signature';

/** What {@link signWebhook} signs: one delivery attempt of one message. */
export interface SignWebhookInput {
  /** `whsec_` and the key in base64, or the key's bytes. */
  secret: WebhookSecret;
  /** The message id (`webhook-id`): the same on every retry of a message ({@link webhookMessageId}). */
  id: string;
  /** When this attempt is sent: a `Date`, or whole seconds since the epoch. */
  timestamp: Date | number;
  /** The body exactly as it is sent (the receiver checks these bytes). */
  payload: string | Uint8Array;
}

/**
 * The three Standard Webhooks headers of a delivery, to send along with the payload. A
 * type alias, not an interface, so that it fits `Record<string, string>` (fetch's
 * `HeadersInit`, {@link verifyWebhook}'s `headers`).
 */
export type WebhookHeaders = {
  'webhook-id': string;
  /** Whole seconds since the epoch. */
  'webhook-timestamp': string;
  /** `v1,` and the base64 HMAC-SHA256 of `${id}.${timestamp}.${payload}`. */
  'webhook-signature': string;
};

/** Visible ASCII only: a header value, with nothing a receiver would trim or split on. */
const MESSAGE_ID = /^[\x21-\x7e]+$/;

function secondsOf(timestamp: unknown): number {
  const refuse = (why: string) => webhookRefusal(`Invalid input at timestamp: ${why}`, ['timestamp'], { reason: 'bad_timestamp' });
  if (timestamp instanceof Date) {
    const ms = timestamp.getTime();
    if (Number.isNaN(ms)) throw refuse('Invalid Date');
    if (ms < 0) throw refuse('before 1970');
    return Math.floor(ms / 1000);
  }
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw refuse(`expected a Date or whole seconds since the epoch, received ${typeof timestamp === 'number' ? timestamp : typeof timestamp}`);
  }
  return timestamp;
}

/**
 * Signs one delivery of a webhook the Standard Webhooks way
 * (https://www.standardwebhooks.com) and returns the headers to send with it: the
 * HMAC-SHA256 of `${id}.${timestamp}.${payload}` under the secret, as
 * `webhook-signature: v1,<base64>`. Sign each attempt anew with its own timestamp and
 * the same `id`, so the receiver can drop a retry it has already handled.
 *
 * A secret that is not `whsec_` and base64 is `INVALID_INPUT` with `reason:
 * 'bad_secret'`; a timestamp that is not a valid `Date` or whole seconds, `reason:
 * 'bad_timestamp'`; an empty id or one with spaces or control characters, `path:
 * ['id']`.
 *
 * @example
 * ```ts
 * import { signWebhook, webhookMessageId, webhookPayload } from 'academy-scheduling/webhooks';
 *
 * declare const event: { id: string; type: string; occurredAt: Date };
 * declare const secret: string; // 'whsec_…', from the subscriber
 *
 * const body = webhookPayload(event);
 * const headers = signWebhook({ secret, id: webhookMessageId(event), timestamp: new Date(), payload: body });
 * await fetch('https://example.com/hooks/scheduling', {
 *   method: 'POST',
 *   headers: { ...headers, 'content-type': 'application/json' },
 *   body,
 * });
 * ```
 */
export function signWebhook(input: SignWebhookInput): WebhookHeaders {
  const key = webhookKey(input.secret);
  const { id, payload } = input;
  if (typeof id !== 'string' || !MESSAGE_ID.test(id)) {
    throw webhookRefusal('Invalid input at id: expected a non-empty message id of visible ASCII characters (no spaces)', ['id'], {
      expected: 'visible ASCII',
    });
  }
  const seconds = secondsOf(input.timestamp);
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
    throw webhookRefusal(
      `Invalid input at payload: expected the body as a string or bytes, received ${payload === null ? 'null' : typeof payload}`,
      ['payload'],
      {
        reason: 'bad_payload',
      },
    );
  }
  return {
    'webhook-id': id,
    'webhook-timestamp': String(seconds),
    'webhook-signature': `v1,${webhookSignature(key, id, seconds, payload)}`,
  };
}
