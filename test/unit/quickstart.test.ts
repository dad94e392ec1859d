import { expect, it } from 'vitest';
import { runQuickstart } from '../../examples/quickstart/index';

it('the quickstart (npm run demo) prints its key lines, deterministically', async () => {
  const lines: string[] = [];
  await runQuickstart((line) => lines.push(line));
  expect(lines).toEqual([
    'Migrated a fresh PGlite database: 0000_tables, 0001_triggers, 0002_schema_evolution',
    'Created Dolphins Swim School (America/New_York), Teaching pool, coach John and 6 students',
    'Scheduled "Level 1 - Saturday" 10:00-10:45 local, 5 places (id SES-YYYY-0001)',
    'Booked 5 students: current_bookings=5, available_spots=0',
    '6th booking refused: CAPACITY_EXCEEDED',
    'Overlapping class for the same coach refused: INSTRUCTOR_DOUBLE_BOOKED (clashes with "Level 1 - Saturday")',
    'Back-to-back class accepted: "Level 2" 10:45-11:30 local',
  ]);
});
