/**
 * `academy-scheduling/webhooks`: sign and verify webhooks the Standard Webhooks way
 * (https://www.standardwebhooks.com), for a host that delivers the scheduler's change
 * events over HTTP. The package sends nothing itself: the host claims the events, and
 * for each one builds the body ({@link webhookPayload}), signs it ({@link signWebhook},
 * anew on every attempt, with the same {@link webhookMessageId}) and posts it; the
 * receiving end checks it with {@link verifyWebhook}.
 *
 * Node only (`node:crypto`): neither the main entry nor `academy-scheduling/domain`
 * loads this module. Refusals are `SchedulingError`s with code `INVALID_INPUT` and a
 * `details.reason` (`WebhookRefusalReason`).
 *
 * @example
 * ```ts
 * import { signWebhook, verifyWebhook, webhookMessageId, webhookPayload } from 'academy-scheduling/webhooks';
 *
 * const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
 * const event = { id: '0b9e5a4c-6f1d-4a8e-9c2b-3d7f1e0a5b6c', type: 'session.rescheduled', occurredAt: new Date() };
 *
 * // The sender.
 * const body = webhookPayload(event);
 * const headers = signWebhook({ secret, id: webhookMessageId(event), timestamp: new Date(), payload: body });
 *
 * // The receiver: the headers and the raw body as received.
 * const received = verifyWebhook({ secret, headers, payload: body }) as { type: string; data: { id: string } };
 * console.log(received.type, received.data.id);
 * ```
 */
export { signWebhook, type SignWebhookInput, type WebhookHeaders } from './sign';
export { verifyWebhook, DEFAULT_WEBHOOK_TOLERANCE_SECONDS, type VerifyWebhookInput, type WebhookRequestHeaders } from './verify';
export { webhookMessageId, webhookPayload, type WebhookEvent, type WebhookPayload } from './payload';
export type { WebhookSecret } from './secret';
export type { WebhookRefusalReason } from './refusal';
export { SchedulingError, isSchedulingError } from '../errors';
