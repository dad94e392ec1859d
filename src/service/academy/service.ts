import { requireAdministrator } from '../kernel/actor';
import { defineOperation } from '../kernel/operation';
import type { ServiceContext } from '../kernel/context';
import type { Actor } from '../kernel/types';
import { linkParentStudent, unlinkParentStudent } from './family-links';
import { createInstructor, createParent, createStudent, createUser, updateInstructor, updateParent, updateStudent, updateUser } from './people';
import { createCourse, createLevel, createProgram, updateCourse, updateLevel, updateProgram } from './programs';
import { createFacility, createHoliday, createLocation, updateFacility, updateHoliday, updateLocation } from './sites';
import {
  createCourseSchema,
  createFacilitySchema,
  createHolidaySchema,
  createInstructorSchema,
  createLevelSchema,
  createLocationSchema,
  createParentSchema,
  createProgramSchema,
  createStudentSchema,
  createUserSchema,
  linkParentStudentSchema,
  unlinkParentStudentSchema,
  updateCourseSchema,
  updateFacilitySchema,
  updateHolidaySchema,
  updateInstructorSchema,
  updateLevelSchema,
  updateLocationSchema,
  updateParentSchema,
  updateProgramSchema,
  updateStudentSchema,
  updateUserSchema,
} from './inputs';

/**
 * `scheduler.academy`: setting up the academy — users, locations, facilities,
 * instructors, students, parents and who may act for whom, programs, levels, courses
 * and holidays. Administrators and `system` only (anyone else: `FORBIDDEN`). Each
 * method returns the row it wrote; bad input is `INVALID_INPUT` at its field (an
 * unknown time zone at `timeZone`, a code or e-mail already taken at `code` /
 * `email`), an unknown id `NOT_FOUND` at its field.
 *
 * @example
 * ```ts
 * const system = { kind: 'system' } as const;
 * const office = await scheduler.academy.createUser(system, { email: 'office@dolphins.example', role: 'admin' });
 * const admin = { kind: 'admin', userId: office.id } as const;
 * const location = await scheduler.academy.createLocation(admin, { code: 'LDN', name: 'Dolphins London', timeZone: 'Europe/London' });
 * const pool = await scheduler.academy.createFacility(admin, { locationId: location.id, code: 'LDN-POOL', name: 'Pool', capacity: 12 });
 * const parent = await scheduler.academy.createParent(admin, { firstName: 'Grace', lastName: 'Okafor' });
 * const child = await scheduler.academy.createStudent(admin, { firstName: 'Ada', lastName: 'Okafor' });
 * await scheduler.academy.linkParentStudent(admin, { parentId: parent.id, studentId: child.id });
 * ```
 */
export function createAcademyService(ctx: ServiceContext) {
  const adminOnly = (action: string) => ({ authorize: (actor: Actor) => requireAdministrator(actor, action) });
  // Lowering a limit under existing sessions is refused unless an administrator overrides it.
  const overridable = (action: string) => ({ ...adminOnly(action), override: (input: { override: boolean }) => input.override });
  return {
    /** Creates a user, the row an actor's `userId` names (`system` creates the first administrator). */
    createUser: defineOperation(ctx, createUserSchema, (tx, input) => createUser(tx, input), adminOnly('create users')),
    /** Changes a user's e-mail, name or role. */
    updateUser: defineOperation(ctx, updateUserSchema, (tx, input) => updateUser(tx, input), adminOnly('change users')),
    /** Creates a location in an IANA time zone (`INVALID_INPUT` at `timeZone` for an unknown one). */
    createLocation: defineOperation(ctx, createLocationSchema, (tx, input) => createLocation(tx, input), adminOnly('create locations')),
    /** Changes a location; a new time zone that overloads an instructor is refused unless `override`. */
    updateLocation: defineOperation(ctx, updateLocationSchema, (tx, input) => updateLocation(tx, input), overridable('change locations')),
    /** Creates a facility at a location. */
    createFacility: defineOperation(ctx, createFacilitySchema, (tx, input) => createFacility(tx, input), adminOnly('create facilities')),
    /** Changes a facility; a size or limit that strands sessions is refused unless `override`. */
    updateFacility: defineOperation(ctx, updateFacilitySchema, (tx, input) => updateFacility(tx, input), overridable('change facilities')),
    /** Creates an instructor. */
    createInstructor: defineOperation(ctx, createInstructorSchema, (tx, input) => createInstructor(tx, input), adminOnly('create instructors')),
    /** Changes an instructor; a lower limit that strands sessions is refused unless `override`. */
    updateInstructor: defineOperation(ctx, updateInstructorSchema, (tx, input) => updateInstructor(tx, input), overridable('change instructors')),
    /** Creates a student. */
    createStudent: defineOperation(ctx, createStudentSchema, (tx, input) => createStudent(tx, input), adminOnly('create students')),
    /** Changes a student's record. */
    updateStudent: defineOperation(ctx, updateStudentSchema, (tx, input) => updateStudent(tx, input), adminOnly('change students')),
    /** Creates a parent. */
    createParent: defineOperation(ctx, createParentSchema, (tx, input) => createParent(tx, input), adminOnly('create parents')),
    /** Changes a parent's record. */
    updateParent: defineOperation(ctx, updateParentSchema, (tx, input) => updateParent(tx, input), adminOnly('change parents')),
    /** Lets a parent act for a student (`parent_students`), or changes the link's relationship. */
    linkParentStudent: defineOperation(ctx, linkParentStudentSchema, (tx, input) => linkParentStudent(tx, input), adminOnly('link parents and students')),
    /** Removes a parent's link to a student; returns the link removed. */
    unlinkParentStudent: defineOperation(
      ctx,
      unlinkParentStudentSchema,
      (tx, input) => unlinkParentStudent(tx, input),
      adminOnly('unlink parents and students'),
    ),
    /** Creates a program. */
    createProgram: defineOperation(ctx, createProgramSchema, (tx, input) => createProgram(tx, input), adminOnly('create programs')),
    /** Changes a program. */
    updateProgram: defineOperation(ctx, updateProgramSchema, (tx, input) => updateProgram(tx, input), adminOnly('change programs')),
    /** Creates a level. */
    createLevel: defineOperation(ctx, createLevelSchema, (tx, input) => createLevel(tx, input), adminOnly('create levels')),
    /** Changes a level. */
    updateLevel: defineOperation(ctx, updateLevelSchema, (tx, input) => updateLevel(tx, input), adminOnly('change levels')),
    /** Creates a course of a program. */
    createCourse: defineOperation(ctx, createCourseSchema, (tx, input) => createCourse(tx, input), adminOnly('create courses')),
    /** Changes a course. */
    updateCourse: defineOperation(ctx, updateCourseSchema, (tx, input) => updateCourse(tx, input), adminOnly('change courses')),
    /** Adds a day without classes, at a location or everywhere. */
    createHoliday: defineOperation(ctx, createHolidaySchema, (tx, input) => createHoliday(tx, input), adminOnly('create holidays')),
    /** Changes a holiday. */
    updateHoliday: defineOperation(ctx, updateHolidaySchema, (tx, input) => updateHoliday(tx, input), adminOnly('change holidays')),
  };
}

/** `scheduler.academy`. */
export type AcademyService = ReturnType<typeof createAcademyService>;
