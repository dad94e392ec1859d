import { webhookRefusal } from './refusal';

/**
 * A webhook signing secret: `whsec_` followed by the key in base64 (as Standard
 * Webhooks writes secrets), or the key's bytes.
 */
export type WebhookSecret = string | Uint8Array;

const PREFIX = 'whsec_';
/** Standard base64 (`+`, `/`), the padding optional. */
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The HMAC key of a secret. Anything but `whsec_` and non-empty base64, or non-empty
 * bytes, is `INVALID_INPUT` at `['secret']`, `reason: 'bad_secret'`; the message never
 * repeats the secret.
 *
 * @internal
 */
export function webhookKey(secret: unknown): Uint8Array {
  const refuse = (why: string) => webhookRefusal(`Invalid input at secret: ${why}`, ['secret'], { reason: 'bad_secret' });
  if (secret instanceof Uint8Array) {
    if (secret.length === 0) throw refuse('the key is empty');
    return secret;
  }
  if (typeof secret !== 'string') throw refuse(`expected "whsec_" and a base64 key, or the key's bytes, received ${secret === null ? 'null' : typeof secret}`);
  if (!secret.startsWith(PREFIX)) throw refuse('expected "whsec_" followed by the key in base64');
  const encoded = secret.slice(PREFIX.length);
  if (!BASE64.test(encoded) || encoded.replace(/=+$/, '').length % 4 === 1) throw refuse('the part after "whsec_" is not base64');
  return Buffer.from(encoded, 'base64');
}
