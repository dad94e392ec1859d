/*
 * Local-date arithmetic for series: a series is planned in wall-clock dates of the
 * location's zone, while sessions store instants. Dates are `YYYY-MM-DD` strings.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The local calendar date (`YYYY-MM-DD`) of an instant in an IANA zone.
 *
 * @internal
 */
export function localDateOf(instant: Date, timeZone: string): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA formats dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  return formatter.format(instant);
}

/**
 * `date` moved by `days` calendar days (negative goes back).
 *
 * @internal
 */
export function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * `date` moved by whole years (Feb 29 becomes Mar 1 in a common year).
 *
 * @internal
 */
export function addYears(date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}
