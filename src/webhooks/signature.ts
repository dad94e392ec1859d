import { createHmac } from 'node:crypto';

/**
 * The Standard Webhooks signature of a message, in base64 without its `v1,`: the
 * HMAC-SHA256, under `key`, of `${id}.${seconds}.${payload}` (the payload's bytes as
 * they are sent).
 *
 * @internal
 */
export function webhookSignature(key: Uint8Array, id: string, seconds: number, payload: string | Uint8Array): string {
  return createHmac('sha256', key).update(`${id}.${seconds}.`, 'utf8').update(payload).digest('base64');
}
