/**
 * The swim school every example uses: one location with its time zone, a teaching
 * pool and a lane area, two instructors, twelve children in nine families, and the
 * front-desk user who acts as administrator.
 *
 * The scheduler schedules and books; people and places belong to the host
 * application, which writes them into the library's tables with plain Drizzle
 * inserts, as done here.
 */
import * as s from '../../src/schema';
import type { AnyPgDatabase } from '../../src';

/** Parents and their children, in the order the quickstart books them. */
const FAMILIES = [
  { parent: { firstName: 'Grace', lastName: 'Okafor' }, children: ['Ada', 'Ben'] },
  { parent: { firstName: 'Jin', lastName: 'Park' }, children: ['Cleo'] },
  { parent: { firstName: 'Priya', lastName: 'Sharma' }, children: ['Dev'] },
  { parent: { firstName: 'Tom', lastName: 'Novak' }, children: ['Eli', 'Fay'] },
  { parent: { firstName: 'Sofia', lastName: 'Moreau' }, children: ['Gus'] },
  { parent: { firstName: 'Ken', lastName: 'Sato' }, children: ['Hana'] },
  { parent: { firstName: 'Rosa', lastName: 'Walsh' }, children: ['Iris', 'Jack'] },
  { parent: { firstName: 'Omar', lastName: 'Diaz' }, children: ['Kai'] },
  { parent: { firstName: 'Lea', lastName: 'Rossi' }, children: ['Luca'] },
] as const;

export type ChildName = (typeof FAMILIES)[number]['children'][number];

export interface Person {
  id: string;
  name: string;
}

export interface Child extends Person {
  /** The parent linked to this child in `parent_students`: the one who may book for them. */
  parent: Person;
}

export interface SwimAcademy {
  /** The front desk's `users` row: administrators act as `{ kind: 'admin', userId }`. */
  adminUserId: string;
  programId: string;
  courses: { level1: string; level2: string };
  location: { id: string; name: string; timeZone: string };
  facilities: { pool: Person; lanes: Person };
  instructors: { maya: Person; leo: Person };
  children: Record<ChildName, Child>;
}

/**
 * Inserts the academy. `tag` makes the unique codes and e-mails unique, so the
 * examples that run against a real, long-lived database can run more than once.
 *
 * @example
 * ```ts
 * const academy = await seedSwimAcademy(db);
 * academy.children.Ada.parent.name; // 'Grace Okafor'
 * ```
 */
export async function seedSwimAcademy(db: AnyPgDatabase, options: { tag?: string } = {}): Promise<SwimAcademy> {
  const tag = options.tag ? `-${options.tag}` : '';
  const email = (name: string) => `${name}${tag}@dolphins.example`;
  const name = (p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`;

  const [admin] = await db
    .insert(s.users)
    .values({ email: email('office'), fullName: 'Front desk', role: 'admin' })
    .returning();
  const [program] = await db
    .insert(s.programs)
    .values({ code: `SWIM${tag}`, name: 'Swimming' })
    .returning();
  const [level1, level2] = await db
    .insert(s.courses)
    .values([
      { programId: program!.id, code: `SWIM-L1${tag}`, name: 'Learn to swim, level 1' },
      { programId: program!.id, code: `SWIM-L2${tag}`, name: 'Learn to swim, level 2' },
    ])
    .returning();
  const [location] = await db
    .insert(s.locations)
    .values({ code: `DOLPHINS${tag}`, name: 'Dolphins Swim School', timezone: 'America/New_York' })
    .returning();
  // A facility holds one class at a time unless max_concurrent_sessions says otherwise.
  const [pool, lanes] = await db
    .insert(s.facilities)
    .values([
      { locationId: location!.id, code: `POOL${tag}`, name: 'Teaching pool', capacity: 12 },
      { locationId: location!.id, code: `LANES${tag}`, name: 'Lap lanes', capacity: 8 },
    ])
    .returning();
  const [maya, leo] = await db
    .insert(s.instructors)
    .values([
      { email: email('maya'), firstName: 'Maya', lastName: 'Ortiz' },
      { email: email('leo'), firstName: 'Leo', lastName: 'Brooks' },
    ])
    .returning();

  const children = {} as Record<ChildName, Child>;
  for (const family of FAMILIES) {
    const [parent] = await db
      .insert(s.parents)
      .values({ ...family.parent, email: email(family.parent.firstName.toLowerCase()) })
      .returning();
    const kids = await db
      .insert(s.students)
      .values(family.children.map((firstName) => ({ firstName, lastName: family.parent.lastName })))
      .returning();
    // The link that lets this parent book, cancel and give feedback for these children.
    await db.insert(s.parentStudents).values(kids.map((kid) => ({ parentId: parent!.id, studentId: kid.id })));
    for (const kid of kids) {
      children[kid.firstName as ChildName] = { id: kid.id, name: kid.firstName, parent: { id: parent!.id, name: name(parent!) } };
    }
  }

  return {
    adminUserId: admin!.id,
    programId: program!.id,
    courses: { level1: level1!.id, level2: level2!.id },
    location: { id: location!.id, name: location!.name, timeZone: location!.timezone },
    facilities: { pool: { id: pool!.id, name: pool!.name }, lanes: { id: lanes!.id, name: lanes!.name } },
    instructors: { maya: { id: maya!.id, name: name(maya!) }, leo: { id: leo!.id, name: name(leo!) } },
    children,
  };
}
