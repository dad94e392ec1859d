import { timingSafeEqual } from 'node:crypto';
import { webhookRefusal } from './refusal';
import { webhookKey, type WebhookSecret } from './secret';
import { webhookSignature } from './signature';

/**
 * The request's headers: a `Headers` (fetch, edge functions), or a plain object such as
 * Node's `req.headers`, whose names are matched in any case.
 */
export type WebhookRequestHeaders = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

/** How far, in seconds, `webhook-timestamp` may be from the clock by default: 5 minutes. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/** What {@link verifyWebhook} checks: one request as it was received. */
export interface VerifyWebhookInput {
  /** `whsec_` and the key in base64, or the key's bytes. */
  secret: WebhookSecret;
  headers: WebhookRequestHeaders;
  /** The raw body, exactly as received: the text or the bytes, never JSON parsed and written again. */
  payload: string | Uint8Array;
  /** How far `webhook-timestamp` may be from `now`, before or after, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** The receiver's clock. Default: `new Date()`. */
  now?: Date;
}

type HeaderName = 'webhook-id' | 'webhook-timestamp' | 'webhook-signature';

/** A header's value, trimmed; undefined when it is absent or empty. Several values are joined by `, `, as `Headers` joins them. */
function headerValue(headers: WebhookRequestHeaders, name: HeaderName): string | undefined {
  let value: string | null | undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    value = (headers as { get(name: string): string | null }).get(name);
  } else {
    const values: string[] = [];
    for (const [key, v] of Object.entries(headers as Record<string, unknown>)) {
      if (key.toLowerCase() !== name) continue;
      for (const item of Array.isArray(v) ? (v as unknown[]) : [v]) if (typeof item === 'string') values.push(item);
    }
    value = values.join(', ');
  }
  const trimmed = typeof value === 'string' ? value.trim() : '';
  return trimmed === '' ? undefined : trimmed;
}

function required(headers: WebhookRequestHeaders, name: HeaderName): string {
  const value = headerValue(headers, name);
  if (value === undefined)
    throw webhookRefusal(`Invalid input at headers.${name}: the header is missing or empty`, ['headers', name], { reason: 'missing_header' });
  return value;
}

/** The `v1` signatures of `webhook-signature` (`v1,<base64>`, space-separated); other versions are left out. */
function v1Signatures(header: string): string[] {
  return header
    .split(/\s+/)
    .map((token) => token.replace(/,+$/, '')) // two headers joined by `, `
    .filter((token) => token.startsWith('v1,'))
    .map((token) => token.slice('v1,'.length));
}

/** Compares in time that depends on the lengths only. */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

function parseJson(payload: string | Uint8Array): unknown {
  try {
    const text = typeof payload === 'string' ? payload : new TextDecoder('utf-8', { fatal: true }).decode(payload);
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw webhookRefusal('Invalid input at payload: the signed body is not UTF-8 JSON', ['payload'], { reason: 'bad_payload' }, cause);
  }
}

/**
 * Checks a webhook delivered the Standard Webhooks way (https://www.standardwebhooks.com)
 * and returns its payload, parsed: the `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` headers must be there, the timestamp within `toleranceSeconds`
 * of `now` (either way: a replayed request is refused), and one of the `v1` signatures
 * (space-separated; other versions are ignored) the HMAC-SHA256 of the raw body under
 * the secret, compared in constant time. Pass the body exactly as received, before
 * any JSON parsing.
 *
 * Every refusal is a `SchedulingError` with code `INVALID_INPUT` and `details.reason`
 * (`WebhookRefusalReason`): `missing_header` (`path: ['headers', name]`),
 * `bad_timestamp`, `timestamp_out_of_tolerance` (`limit`: the tolerance, `actual`:
 * seconds ahead of the clock), `no_matching_signature`, `bad_secret`, `bad_payload` (a
 * body that is not a string or bytes, or, once the signature matches, not JSON). The
 * payload is returned as parsed, not validated: check its shape before using it. To
 * ignore a retry already handled, remember `webhook-id`.
 *
 * @example
 * ```ts
 * import { isSchedulingError, verifyWebhook } from 'academy-scheduling/webhooks';
 *
 * declare const secret: string; // 'whsec_…', the one the sender signs with
 *
 * export async function handle(request: Request): Promise<Response> {
 *   let payload: unknown;
 *   try {
 *     payload = verifyWebhook({ secret, headers: request.headers, payload: await request.text() });
 *   } catch (e) {
 *     if (isSchedulingError(e, 'INVALID_INPUT')) return new Response(e.details.reason ?? 'invalid', { status: 400 });
 *     throw e;
 *   }
 *   console.log('received', request.headers.get('webhook-id'), payload);
 *   return new Response(null, { status: 204 });
 * }
 * ```
 */
export function verifyWebhook(input: VerifyWebhookInput): unknown {
  const { headers, payload, toleranceSeconds = DEFAULT_WEBHOOK_TOLERANCE_SECONDS, now = new Date() } = input;
  const key = webhookKey(input.secret);
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
    throw webhookRefusal(
      `Invalid input at payload: expected the raw body as a string or bytes, received ${payload === null ? 'null' : typeof payload} (pass the body before any JSON parsing)`,
      ['payload'],
      { reason: 'bad_payload' },
    );
  }
  if (typeof toleranceSeconds !== 'number' || !Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw webhookRefusal('Invalid input at toleranceSeconds: expected a non-negative number of seconds', ['toleranceSeconds'], {
      expected: 'a non-negative number',
    });
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw webhookRefusal('Invalid input at now: expected a valid Date', ['now'], { reason: 'bad_timestamp' });
  }
  if (typeof headers !== 'object' || headers === null) {
    throw webhookRefusal('Invalid input at headers: expected the request headers', ['headers'], { reason: 'missing_header' });
  }

  const id = required(headers, 'webhook-id');
  const timestamp = required(headers, 'webhook-timestamp');
  const signatures = required(headers, 'webhook-signature');

  const seconds = /^\d+$/.test(timestamp) ? Number(timestamp) : NaN;
  if (!Number.isSafeInteger(seconds)) {
    throw webhookRefusal('Invalid input at headers.webhook-timestamp: expected whole seconds since the epoch', ['headers', 'webhook-timestamp'], {
      reason: 'bad_timestamp',
    });
  }
  const ahead = seconds - Math.floor(now.getTime() / 1000);
  if (Math.abs(ahead) > toleranceSeconds) {
    throw webhookRefusal(
      `Invalid input at headers.webhook-timestamp: ${Math.abs(ahead)} s ${ahead < 0 ? 'behind' : 'ahead of'} the clock, more than the ${toleranceSeconds} s allowed`,
      ['headers', 'webhook-timestamp'],
      { reason: 'timestamp_out_of_tolerance', limit: toleranceSeconds, actual: ahead },
    );
  }

  const expected = webhookSignature(key, id, seconds, payload);
  let matched = false;
  for (const candidate of v1Signatures(signatures)) matched = sameText(candidate, expected) || matched;
  if (!matched) {
    throw webhookRefusal('Invalid input at headers.webhook-signature: no v1 signature matches the message and the secret', ['headers', 'webhook-signature'], {
      reason: 'no_matching_signature',
    });
  }
  return parseJson(payload);
}
