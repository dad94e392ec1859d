/**
 * Instants shown as wall-clock times in a location's time zone. The database stores
 * instants (`timestamptz`); what a parent reads is "Sat 12 Jan 10:00" where the pool is.
 */

export interface LocalTimeFormat {
  /** `Sat 12 Jan` */
  day(instant: Date): string;
  /** `10:00` (24-hour) */
  time(instant: Date): string;
  /** `Sat 12 Jan 10:00` */
  dayTime(instant: Date): string;
  /** `10:00–10:45` */
  range(start: Date, end: Date): string;
}

/**
 * Formatters for one IANA time zone, built from `Intl.DateTimeFormat` parts so the
 * output does not depend on the machine's locale or zone.
 *
 * @example
 * ```ts
 * const local = localTimeFormat('America/New_York');
 * local.dayTime(new Date('2030-01-12T15:00:00Z')); // 'Sat 12 Jan 10:00'
 * ```
 */
export function localTimeFormat(timeZone: string): LocalTimeFormat {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const parts = (instant: Date) => Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  const day = (instant: Date) => {
    const p = parts(instant);
    return `${p.weekday} ${p.day} ${p.month}`;
  };
  const time = (instant: Date) => {
    const p = parts(instant);
    return `${p.hour}:${p.minute}`;
  };
  return {
    day,
    time,
    dayTime: (instant) => `${day(instant)} ${time(instant)}`,
    range: (start, end) => `${time(start)}–${time(end)}`,
  };
}
