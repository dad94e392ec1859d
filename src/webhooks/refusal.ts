import { SchedulingError, type ErrorPath, type InvalidInputReason, type SchedulingErrorDetailsByCode } from '../errors';

/** `details.reason` of the `INVALID_INPUT` refusals of `academy-scheduling/webhooks`. */
export type WebhookRefusalReason = Extract<
  InvalidInputReason,
  'missing_header' | 'bad_timestamp' | 'timestamp_out_of_tolerance' | 'no_matching_signature' | 'bad_secret' | 'bad_payload'
>;

/**
 * The `INVALID_INPUT` every webhook function throws: `path` says which input (or
 * header), `reason` why. Built here rather than with the domain's helper, so that the
 * webhooks entry loads no zod.
 *
 * @internal
 */
export function webhookRefusal(
  message: string,
  path: ErrorPath,
  extra: Pick<SchedulingErrorDetailsByCode['INVALID_INPUT'], 'expected' | 'limit' | 'actual'> & { reason?: WebhookRefusalReason } = {},
  cause?: unknown,
): SchedulingError<'INVALID_INPUT'> {
  return new SchedulingError('INVALID_INPUT', message, { ...extra, path: [...path] }, { cause });
}
