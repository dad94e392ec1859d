/**
 * `academy-scheduling/webhooks`: the Standard Webhooks test vector, a round trip, and
 * every refusal with its code, reason and path (checked against the documented
 * details of `INVALID_INPUT`).
 */
import { createHmac } from 'node:crypto';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { isSchedulingError, type SchedulingError } from '../../src/errors';
import {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  signWebhook,
  verifyWebhook,
  webhookMessageId,
  webhookPayload,
  type VerifyWebhookInput,
  type WebhookHeaders,
  type WebhookRefusalReason,
} from '../../src/webhooks';
import { expectDocumentedDetails } from '../support/error-details';

/** The official vector (standard-webhooks/spec). */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const AT_VECTOR = new Date(VECTOR.timestamp * 1000);
const SECRET = 'whsec_c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE=';
const OTHER_SECRET = 'whsec_YW5vdGhlci1rZXktb2YtdGhpcnR5LXR3by1ieXRlcyE=';
const NOW = new Date('2030-01-07T16:30:00.500Z');
const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);

/** A signed request at NOW. */
function signed(payload = '{"type":"booking.confirmed","data":{"n":1}}', id = 'msg_1', timestamp: Date | number = NOW) {
  return { headers: signWebhook({ secret: SECRET, id, timestamp, payload }), payload };
}

function refusal(run: () => unknown): SchedulingError<'INVALID_INPUT'> {
  try {
    run();
  } catch (error) {
    if (!isSchedulingError(error, 'INVALID_INPUT')) throw error;
    expectDocumentedDetails(error);
    return error;
  }
  throw new Error('expected INVALID_INPUT, nothing was thrown');
}

function expectRefusal(run: () => unknown, reason: WebhookRefusalReason | undefined, path: Array<string | number>): SchedulingError<'INVALID_INPUT'> {
  const error = refusal(run);
  expect(error.code).toBe('INVALID_INPUT');
  expect(error.details.reason).toBe(reason);
  expect(error.details.path).toEqual(path);
  return error;
}

const verify = (input: Partial<VerifyWebhookInput> & Pick<VerifyWebhookInput, 'headers' | 'payload'>) => verifyWebhook({ secret: SECRET, now: NOW, ...input });

describe('signWebhook', () => {
  it('gives the official test vector', () => {
    expect(signWebhook(VECTOR)).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': VECTOR.signature,
    });
  });

  it('takes a Date (whole seconds, rounded down), the key as bytes, and the payload as bytes', () => {
    const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    const headers = signWebhook({
      secret: new Uint8Array(key),
      id: VECTOR.id,
      timestamp: new Date(AT_VECTOR.getTime() + 999),
      payload: Buffer.from(VECTOR.payload),
    });
    expect(headers['webhook-timestamp']).toBe('1614265330');
    expect(headers['webhook-signature']).toBe(VECTOR.signature);
  });

  it('signs `${id}.${timestamp}.${payload}` with HMAC-SHA256 under the decoded key', () => {
    const { headers, payload } = signed('{"é":"ü"}');
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key).update(`msg_1.${NOW_SECONDS}.{"é":"ü"}`).digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(payload).toBe('{"é":"ü"}');
  });

  it.each([
    ['no prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ['another prefix', 'whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ['an upper-case prefix', 'WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ['nothing after the prefix', 'whsec_'],
    ['not base64', 'whsec_not base64!'],
    ['a base64 length no key has', 'whsec_MfKQ9'],
    ['an empty key', new Uint8Array()],
    ['a number', 42],
  ])('refuses a bad secret (%s) without repeating it', (_name, secret) => {
    const error = expectRefusal(() => signWebhook({ ...VECTOR, secret: secret as string }), 'bad_secret', ['secret']);
    if (typeof secret === 'string' && secret.length > 'whsec_'.length) expect(error.message).not.toContain(secret.slice('whsec_'.length));
  });

  it.each([
    ['an invalid Date', new Date('nope')],
    ['fractional seconds', 1614265330.5],
    ['negative seconds', -1],
    ['NaN', Number.NaN],
    ['a string', '1614265330'],
  ])('refuses a bad timestamp (%s)', (_name, timestamp) => {
    expectRefusal(() => signWebhook({ ...VECTOR, timestamp: timestamp as number }), 'bad_timestamp', ['timestamp']);
  });

  it.each([[''], ['msg 1'], ['msg_1\r\nx-evil: 1']])('refuses a message id that is no header value (%j)', (id) => {
    expectRefusal(() => signWebhook({ ...VECTOR, id }), undefined, ['id']);
  });

  it('refuses a payload that is not a string or bytes', () => {
    expectRefusal(() => signWebhook({ ...VECTOR, payload: { test: 1 } as unknown as string }), 'bad_payload', ['payload']);
  });
});

describe('verifyWebhook', () => {
  it('accepts the official test vector at its time, and returns the parsed payload', () => {
    const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature };
    expect(verifyWebhook({ secret: VECTOR.secret, headers, payload: VECTOR.payload, now: AT_VECTOR })).toEqual({ test: 2432232314 });
  });

  it('round trip: what signWebhook signed, verifyWebhook accepts (string and bytes bodies)', () => {
    const { headers, payload } = signed();
    expect(verify({ headers, payload })).toEqual({ type: 'booking.confirmed', data: { n: 1 } });
    expect(verify({ headers, payload: new TextEncoder().encode(payload) })).toEqual({ type: 'booking.confirmed', data: { n: 1 } });
    expect(verifyWebhook({ secret: SECRET, headers: signWebhook({ secret: SECRET, id: 'msg_2', timestamp: new Date(), payload }), payload })).toEqual({
      type: 'booking.confirmed',
      data: { n: 1 },
    });
  });

  it('refuses a tampered payload', () => {
    const { headers } = signed('{"amount":10}');
    expectRefusal(() => verify({ headers, payload: '{"amount":1000}' }), 'no_matching_signature', ['headers', 'webhook-signature']);
    // Re-serialised JSON is not the body that was signed.
    expectRefusal(() => verify({ headers, payload: '{ "amount": 10 }' }), 'no_matching_signature', ['headers', 'webhook-signature']);
  });

  it('refuses the wrong secret', () => {
    const { headers, payload } = signed();
    expectRefusal(() => verifyWebhook({ secret: OTHER_SECRET, headers, payload, now: NOW }), 'no_matching_signature', ['headers', 'webhook-signature']);
  });

  it('refuses a tampered id, and a tampered timestamp within the tolerance', () => {
    const { headers, payload } = signed();
    expectRefusal(() => verify({ headers: { ...headers, 'webhook-id': 'msg_2' }, payload }), 'no_matching_signature', ['headers', 'webhook-signature']);
    expectRefusal(() => verify({ headers: { ...headers, 'webhook-timestamp': String(NOW_SECONDS + 1) }, payload }), 'no_matching_signature', [
      'headers',
      'webhook-signature',
    ]);
  });

  it('refuses an expired timestamp and a future one, beyond the tolerance either way; accepts the bounds', () => {
    const old = signed(undefined, 'msg_1', NOW_SECONDS - DEFAULT_WEBHOOK_TOLERANCE_SECONDS - 1);
    const expired = expectRefusal(() => verify(old), 'timestamp_out_of_tolerance', ['headers', 'webhook-timestamp']);
    expect(expired.details).toMatchObject({ limit: 300, actual: -301 });
    const early = signed(undefined, 'msg_1', NOW_SECONDS + 301);
    const future = expectRefusal(() => verify(early), 'timestamp_out_of_tolerance', ['headers', 'webhook-timestamp']);
    expect(future.details).toMatchObject({ limit: 300, actual: 301 });

    expect(verify(signed(undefined, 'msg_1', NOW_SECONDS - 300))).toBeTruthy();
    expect(verify(signed(undefined, 'msg_1', NOW_SECONDS + 300))).toBeTruthy();
    // A tolerance of its own.
    expectRefusal(() => verify({ ...signed(undefined, 'msg_1', NOW_SECONDS - 11), toleranceSeconds: 10 }), 'timestamp_out_of_tolerance', [
      'headers',
      'webhook-timestamp',
    ]);
    expect(verify({ ...old, toleranceSeconds: 3600 })).toBeTruthy();
  });

  it('checks the timestamp before the signature: a stale request with a valid signature is refused for its age', () => {
    const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature };
    expectRefusal(() => verifyWebhook({ secret: VECTOR.secret, headers, payload: VECTOR.payload, now: NOW }), 'timestamp_out_of_tolerance', [
      'headers',
      'webhook-timestamp',
    ]);
  });

  it.each([['1614265330.5'], ['-1614265330'], ['abc'], ['1e9'], ['99999999999999999999']])(
    'refuses a timestamp header that is not whole seconds (%s)',
    (value) => {
      const { headers, payload } = signed();
      expectRefusal(() => verify({ headers: { ...headers, 'webhook-timestamp': value }, payload }), 'bad_timestamp', ['headers', 'webhook-timestamp']);
    },
  );

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const)('refuses a request without %s, or with it empty', (name) => {
    const { headers, payload } = signed();
    const without: Record<string, string> = { ...headers };
    delete without[name];
    expectRefusal(() => verify({ headers: without, payload }), 'missing_header', ['headers', name]);
    expectRefusal(() => verify({ headers: { ...headers, [name]: '  ' }, payload }), 'missing_header', ['headers', name]);
    const fetchHeaders = new Headers(without);
    expectRefusal(() => verify({ headers: fetchHeaders, payload }), 'missing_header', ['headers', name]);
  });

  it('accepts several signatures when one v1 matches, in any position', () => {
    const { headers, payload } = signed();
    const good = headers['webhook-signature'];
    const wrong = signWebhook({ secret: OTHER_SECRET, id: 'msg_1', timestamp: NOW, payload })['webhook-signature'];
    for (const list of [`${wrong} ${good}`, `${good} ${wrong}`, `v1,AAAA ${wrong}  ${good}`]) {
      expect(verify({ headers: { ...headers, 'webhook-signature': list }, payload })).toEqual(JSON.parse(payload));
    }
    expectRefusal(() => verify({ headers: { ...headers, 'webhook-signature': `${wrong} v1,AAAA` }, payload }), 'no_matching_signature', [
      'headers',
      'webhook-signature',
    ]);
  });

  it('ignores signatures of other versions, even one with the right digest', () => {
    const { headers, payload } = signed();
    const digest = headers['webhook-signature'].slice('v1,'.length);
    expectRefusal(() => verify({ headers: { ...headers, 'webhook-signature': `v2,${digest}` }, payload }), 'no_matching_signature', [
      'headers',
      'webhook-signature',
    ]);
    expectRefusal(() => verify({ headers: { ...headers, 'webhook-signature': `v1a,${digest} ${digest}` }, payload }), 'no_matching_signature', [
      'headers',
      'webhook-signature',
    ]);
    expect(verify({ headers: { ...headers, 'webhook-signature': `v2,${digest} v1,${digest}` }, payload })).toEqual(JSON.parse(payload));
  });

  it('refuses a signature that only decodes to the right bytes (extra characters, missing padding)', () => {
    const { headers, payload } = signed();
    const good = headers['webhook-signature'];
    for (const variant of [`${good}!`, good.replace(/=$/, ''), `${good}AAAA`]) {
      expectRefusal(() => verify({ headers: { ...headers, 'webhook-signature': variant }, payload }), 'no_matching_signature', [
        'headers',
        'webhook-signature',
      ]);
    }
  });

  it('matches header names in any case in a plain object, and takes Node-style array values', () => {
    const { headers, payload } = signed();
    const upper = {
      'Webhook-Id': headers['webhook-id'],
      'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'],
      'webhook-Signature': [headers['webhook-signature']],
    };
    expect(verify({ headers: upper, payload })).toEqual(JSON.parse(payload));
  });

  it('reads a Headers instance, and two webhook-signature headers joined by it', () => {
    const { headers, payload } = signed();
    const fetchHeaders = new Headers({ 'Webhook-Id': headers['webhook-id'], 'Webhook-Timestamp': headers['webhook-timestamp'] });
    const wrong = signWebhook({ secret: OTHER_SECRET, id: 'msg_1', timestamp: NOW, payload })['webhook-signature'];
    fetchHeaders.append('webhook-signature', headers['webhook-signature']);
    fetchHeaders.append('webhook-signature', wrong);
    expect(verify({ headers: fetchHeaders, payload })).toEqual(JSON.parse(payload));
    const request = new Request('https://example.com/hooks', { method: 'POST', headers, body: payload });
    expect(verify({ headers: request.headers, payload })).toEqual(JSON.parse(payload));
  });

  it.each([
    ['no prefix', 'c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE='],
    ['another prefix', 'whsk_c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE='],
    ['not base64', 'whsec_***'],
  ])('refuses a bad secret (%s) before reading the request', (_name, secret) => {
    const { headers, payload } = signed();
    expectRefusal(() => verifyWebhook({ secret, headers, payload, now: NOW }), 'bad_secret', ['secret']);
    expectRefusal(() => verifyWebhook({ secret, headers: {}, payload, now: NOW }), 'bad_secret', ['secret']);
  });

  it('refuses a body that is not a string or bytes (a parsed body), before anything else', () => {
    const { headers, payload } = signed();
    const error = expectRefusal(() => verify({ headers, payload: JSON.parse(payload) as string }), 'bad_payload', ['payload']);
    expect(error.message).toMatch(/before any JSON parsing/);
  });

  it('refuses a signed body that is not JSON, or not UTF-8, only once its signature matches', () => {
    for (const payload of ['not json', new Uint8Array([0x7b, 0xff, 0x7d])]) {
      const headers = signWebhook({ secret: SECRET, id: 'msg_1', timestamp: NOW, payload });
      const error = expectRefusal(() => verify({ headers, payload }), 'bad_payload', ['payload']);
      expect(error.cause).toBeDefined();
    }
    expectRefusal(() => verify({ headers: signed().headers, payload: 'not json' }), 'no_matching_signature', ['headers', 'webhook-signature']);
  });

  it('refuses a bad tolerance or clock', () => {
    const { headers, payload } = signed();
    for (const toleranceSeconds of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectRefusal(() => verify({ headers, payload, toleranceSeconds }), undefined, ['toleranceSeconds']);
    }
    expectRefusal(() => verify({ headers, payload, now: new Date('nope') }), 'bad_timestamp', ['now']);
  });

  it('refuses headers that are not an object', () => {
    expectRefusal(() => verify({ headers: null as unknown as Headers, payload: '{}' }), 'missing_header', ['headers']);
  });
});

describe('webhookPayload and webhookMessageId', () => {
  /** A change event as the scheduler's service types it: an interface, with nested objects. */
  interface ChangeEventLike {
    id: string;
    type: string;
    typeVersion: number;
    entity: { type: 'booking'; id: string; code: string | null; version: number };
    actor: { kind: 'system' };
    changes: Record<string, { old: unknown; new: unknown }>;
    occurredAt: Date;
  }
  const event: ChangeEventLike = {
    id: '0b9e5a4c-6f1d-4a8e-9c2b-3d7f1e0a5b6c',
    type: 'booking.confirmed',
    typeVersion: 1,
    entity: { type: 'booking', id: '5f0c0a63-7f44-4d5e-8d55-2f6f0b3a1c11', code: 'BKG-2030-0001', version: 1 },
    actor: { kind: 'system' },
    changes: { status: { old: 'waitlisted', new: 'confirmed' } },
    occurredAt: new Date('2030-01-07T16:30:00.123Z'),
  };

  it('writes { type, timestamp, data }: data is the whole event, its Dates ISO strings', () => {
    const body = webhookPayload(event);
    expectTypeOf(body).toBeString();
    expect(JSON.parse(body)).toEqual({
      type: 'booking.confirmed',
      timestamp: '2030-01-07T16:30:00.123Z',
      data: { ...event, occurredAt: '2030-01-07T16:30:00.123Z' },
    });
    expect(Object.keys(JSON.parse(body) as object)).toEqual(['type', 'timestamp', 'data']);
    const nested = JSON.parse(webhookPayload({ id: 'e1', type: 'session.rescheduled', occurredAt: NOW, newStart: new Date('2030-02-01T09:00:00Z') })) as {
      data: Record<string, unknown>;
    };
    expect(nested.data).toEqual({ id: 'e1', type: 'session.rescheduled', occurredAt: NOW.toISOString(), newStart: '2030-02-01T09:00:00.000Z' });
  });

  it('gives the same body and message id for the same event, so a retry is recognised', () => {
    expect(webhookPayload({ ...event })).toBe(webhookPayload(event));
    expect(webhookMessageId(event)).toBe('msg_0b9e5a4c-6f1d-4a8e-9c2b-3d7f1e0a5b6c');
    expect(webhookMessageId({ ...event, occurredAt: NOW })).toBe(webhookMessageId(event));
    expect(webhookMessageId({ id: 'other' })).not.toBe(webhookMessageId(event));
  });

  it('end to end: payload, message id, signature; the receiver gets the event back', () => {
    const body = webhookPayload(event);
    const headers: WebhookHeaders = signWebhook({ secret: SECRET, id: webhookMessageId(event), timestamp: NOW, payload: body });
    expect(headers['webhook-id']).toBe(`msg_${event.id}`);
    const received = verify({ headers, payload: body }) as { type: string; timestamp: string; data: { id: string; entity: { code: string } } };
    expect(received.type).toBe('booking.confirmed');
    expect(received.data.entity.code).toBe('BKG-2030-0001');
  });

  it('refuses an event without an id, a type or a valid occurredAt, and one JSON cannot hold', () => {
    expectRefusal(() => webhookPayload({ ...event, id: '' }), undefined, ['id']);
    expectRefusal(() => webhookPayload({ ...event, type: 42 as unknown as string }), undefined, ['type']);
    expectRefusal(() => webhookPayload({ ...event, occurredAt: new Date('nope') }), 'bad_timestamp', ['occurredAt']);
    expectRefusal(() => webhookPayload({ ...event, occurredAt: '2030-01-07T16:30:00Z' as unknown as Date }), 'bad_timestamp', ['occurredAt']);
    expectRefusal(() => webhookPayload({ ...event, sequence: 1n }), 'bad_payload', []);
    expectRefusal(() => webhookPayload(null as unknown as ChangeEventLike), undefined, []);
    expectRefusal(() => webhookMessageId({ id: '' }), undefined, ['id']);
  });
});
