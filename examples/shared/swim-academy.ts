/**
 * The swim school every example uses: one location with its time zone, a teaching
 * pool and a lane area, two instructors, twelve children in nine families, and the
 * front-desk user who acts as administrator.
 *
 * It is set up through `scheduler.academy`, as a host's admin screens would: the
 * `system` actor creates the first administrator's user, who then creates the rest.
 * Every call is validated (a time-zone typo is `INVALID_INPUT` at `timeZone`, a code
 * already taken at `code`).
 */
import { type AnyPgDatabase, createScheduler, type Actor } from '../../src';

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
 * Creates the academy through `scheduler.academy`. `tag` makes the unique codes and e-mails unique, so the
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
  const { academy } = createScheduler({ db });

  // The first administrator: nobody is an admin yet, so the system creates their user.
  const office = await academy.createUser({ kind: 'system' }, { email: email('office'), fullName: 'Front desk', role: 'admin' });
  const admin: Actor = { kind: 'admin', userId: office.id };

  const program = await academy.createProgram(admin, { code: `SWIM${tag}`, name: 'Swimming' });
  const level1 = await academy.createCourse(admin, { programId: program.id, code: `SWIM-L1${tag}`, name: 'Learn to swim, level 1' });
  const level2 = await academy.createCourse(admin, { programId: program.id, code: `SWIM-L2${tag}`, name: 'Learn to swim, level 2' });
  const location = await academy.createLocation(admin, { code: `DOLPHINS${tag}`, name: 'Dolphins Swim School', timeZone: 'America/New_York' });
  // A facility holds one class at a time unless maxConcurrentSessions says otherwise.
  const pool = await academy.createFacility(admin, { locationId: location.id, code: `POOL${tag}`, name: 'Teaching pool', capacity: 12 });
  const lanes = await academy.createFacility(admin, { locationId: location.id, code: `LANES${tag}`, name: 'Lap lanes', capacity: 8 });
  const maya = await academy.createInstructor(admin, { email: email('maya'), firstName: 'Maya', lastName: 'Ortiz' });
  const leo = await academy.createInstructor(admin, { email: email('leo'), firstName: 'Leo', lastName: 'Brooks' });

  const children = {} as Record<ChildName, Child>;
  for (const family of FAMILIES) {
    const parent = await academy.createParent(admin, { ...family.parent, email: email(family.parent.firstName.toLowerCase()) });
    for (const firstName of family.children) {
      const kid = await academy.createStudent(admin, { firstName, lastName: family.parent.lastName });
      // The link that lets this parent book, cancel and give feedback for this child.
      await academy.linkParentStudent(admin, { parentId: parent.id, studentId: kid.id });
      children[firstName] = { id: kid.id, name: firstName, parent: { id: parent.id, name: name(parent) } };
    }
  }

  return {
    adminUserId: office.id,
    programId: program.id,
    courses: { level1: level1.id, level2: level2.id },
    location: { id: location.id, name: location.name, timeZone: location.timezone },
    facilities: { pool: { id: pool.id, name: pool.name }, lanes: { id: lanes.id, name: lanes.name } },
    instructors: { maya: { id: maya.id, name: name(maya) }, leo: { id: leo.id, name: name(leo) } },
    children,
  };
}
