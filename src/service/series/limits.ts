// The limits of one series, in a module of their own: the package's entry exports them without loading the series code.

/** A series has at most this many occurrences (more is `INVALID_INPUT`, reason `too_many_occurrences`). */
export const SERIES_MAX_OCCURRENCES = 1000;
/** A series ends within this many years of its start date (longer is `INVALID_INPUT`, reason `series_too_long`). */
export const SERIES_MAX_YEARS = 2;
