/** Instants written the way the tests read them. */

/** The instant an ISO 8601 string names: `at('2030-01-15T15:00:00Z')`. */
export const at = (iso: string): Date => new Date(iso);

/** An instant as its ISO 8601 UTC string, the form `at` reads back. */
export const iso = (value: Date): string => value.toISOString();
