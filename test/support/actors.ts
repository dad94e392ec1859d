/** Who calls the scheduler in the tests: actors of the academy `seedAcademy` made. */
import type { Actor } from '../../src';
import type { Academy } from './fixtures';

/** The academy's administrator. */
export const adminOf = (academy: Academy): Actor => ({ kind: 'admin', userId: academy.adminId });

/** The academy's instructor number `i` (0, 1 or 2), acting as themselves. */
export const instructorOf = (academy: Academy, i: number): Actor => ({ kind: 'instructor', instructorId: academy.instructorIds[i]! });
