/**
 * Figure 1: booking throughput. Not measured yet: the bookings service is being
 * written separately. This placeholder keeps the slot in `bench/index.mts` and says
 * why it is empty; fill it in once `scheduler.bookings` exists.
 */
import type { Scheduler } from '../../src';
import type { Figure } from '../harness';

/**
 * Figure 1 placeholder: prints "skipped: bookings service not available" and returns
 * no figures while `scheduler.bookings` does not exist.
 *
 * @example
 * ```ts
 * figures.push(...(await bookingThroughputFigures(scheduler)));
 * ```
 */
export async function bookingThroughputFigures(scheduler: Scheduler): Promise<Figure[]> {
  if (!('bookings' in scheduler)) {
    console.log('skipped: bookings service not available (figure 1, booking throughput)');
    return [];
  }
  // TODO(figure 1): concurrent confirmed bookings per second against a baseline measured in the same run.
  console.log('skipped: booking throughput is not written yet although scheduler.bookings exists (figure 1)');
  return [];
}
