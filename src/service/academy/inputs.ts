import * as z from 'zod/mini';
import { localDateSchema, timeZoneSchema } from '../../domain/schemas';
import { INT4_MAX, storableText, textInput, uuidInput } from '../kernel/inputs';

/*
 * The inputs of `scheduler.academy`: the people, places and programs an academy is
 * made of. Field names are the row's (camelCase), ids are `…Id`; every bound matches
 * the column or CHECK that would otherwise refuse the value, so a value the schema
 * accepts is one the table takes. Each schema is built on its first parse (`z.lazy`), not
 * when the package is imported: a call needs one or two.
 */

/** A required name or code of at most `max` characters, trimmed. */
const label = (max: number) => storableText(z.string().check(z.trim(), z.minLength(1), z.maxLength(max)));
/** Optional free text; `null` clears it on update. */
const note = (max: number) => storableText(z.string().check(z.trim(), z.maxLength(max)));
const email = () => z.email('expected an e-mail address').check(z.maxLength(255));
/** How many sessions an instructor or facility may run at once (`>= 1`). */
const concurrencyLimit = () => z.int().check(z.gte(1), z.lte(1000));
/** A location's IANA time zone, checked by the domain (`isValidTimeZone`) before anything reaches the database. */
const timeZone = () => z.pipe(z.string().check(z.maxLength(64, 'unknown IANA time zone')), timeZoneSchema);

/** The roles of `users.role` (`chk_user_role`). */
export const USER_ROLES = ['admin', 'instructor', 'parent', 'student', 'staff'] as const;

/**
 * Input of `academy.createUser`: the login a person acts with (`actor.userId`).
 *
 * @internal
 */
export const createUserSchema = z.lazy(() =>
  z.strictObject({
    email: email(),
    fullName: z.nullish(note(255)),
    role: z.enum(USER_ROLES),
  }),
);

/** Input of `academy.createUser`. */
export type CreateUserInput = z.input<typeof createUserSchema>;

/**
 * Input of `academy.updateUser`: the user and the fields to change.
 *
 * @internal
 */
export const updateUserSchema = z.lazy(() =>
  z.strictObject({
    userId: uuidInput,
    email: z.optional(email()),
    fullName: z.nullish(note(255)),
    role: z.optional(z.enum(USER_ROLES)),
  }),
);

/** Input of `academy.updateUser`. */
export type UpdateUserInput = z.input<typeof updateUserSchema>;

/**
 * Input of `academy.createLocation`. `timeZone` is the IANA zone every wall-clock time
 * of the location's classes is read in.
 *
 * @internal
 */
export const createLocationSchema = z.lazy(() =>
  z.strictObject({
    code: label(50),
    name: label(255),
    timeZone: timeZone(),
    address: z.nullish(textInput),
    isActive: z.optional(z.boolean()),
  }),
);

/** Input of `academy.createLocation`. */
export type CreateLocationInput = z.input<typeof createLocationSchema>;

/**
 * Input of `academy.updateLocation`. A new time zone that would leave an instructor
 * over their limit is refused unless `override` (admins only) records the conflicts.
 *
 * @internal
 */
export const updateLocationSchema = z.lazy(() =>
  z.strictObject({
    locationId: uuidInput,
    code: z.optional(label(50)),
    name: z.optional(label(255)),
    timeZone: z.optional(timeZone()),
    address: z.nullish(textInput),
    isActive: z.optional(z.boolean()),
    override: z._default(z.boolean(), false),
  }),
);

/** Input of `academy.updateLocation`. */
export type UpdateLocationInput = z.input<typeof updateLocationSchema>;

const facilityFields = () => ({
  code: label(50),
  name: label(255),
  facilityType: z.nullish(note(50)),
  /** How many participants fit (`null`: no limit). */
  capacity: z.nullish(z.int().check(z.gte(1), z.lte(INT4_MAX))),
  maxConcurrentSessions: z.optional(concurrencyLimit()),
  isActive: z.optional(z.boolean()),
});

/**
 * Input of `academy.createFacility`: a room, pool or court at a location.
 *
 * @internal
 */
export const createFacilitySchema = z.lazy(() => z.strictObject({ locationId: uuidInput, ...facilityFields() }));

/** Input of `academy.createFacility`. */
export type CreateFacilityInput = z.input<typeof createFacilitySchema>;

/**
 * Input of `academy.updateFacility`. A smaller size or limit that would strand
 * sessions is refused unless `override` (admins only) records the conflicts.
 *
 * @internal
 */
export const updateFacilitySchema = z.lazy(() => {
  const fields = facilityFields();
  return z.strictObject({
    facilityId: uuidInput,
    locationId: z.optional(uuidInput),
    code: z.optional(fields.code),
    name: z.optional(fields.name),
    facilityType: fields.facilityType,
    capacity: fields.capacity,
    maxConcurrentSessions: fields.maxConcurrentSessions,
    isActive: fields.isActive,
    override: z._default(z.boolean(), false),
  });
});

/** Input of `academy.updateFacility`. */
export type UpdateFacilityInput = z.input<typeof updateFacilitySchema>;

/**
 * Input of `academy.createInstructor`. `userId` is their login, when they have one.
 *
 * @internal
 */
export const createInstructorSchema = z.lazy(() =>
  z.strictObject({
    email: email(),
    firstName: label(100),
    lastName: label(100),
    userId: z.nullish(uuidInput),
    maxConcurrentSessions: z.optional(concurrencyLimit()),
    isActive: z.optional(z.boolean()),
  }),
);

/** Input of `academy.createInstructor`. */
export type CreateInstructorInput = z.input<typeof createInstructorSchema>;

/**
 * Input of `academy.updateInstructor`. A lower limit that would strand sessions is
 * refused unless `override` (admins only) records the conflicts.
 *
 * @internal
 */
export const updateInstructorSchema = z.lazy(() =>
  z.strictObject({
    instructorId: uuidInput,
    email: z.optional(email()),
    firstName: z.optional(label(100)),
    lastName: z.optional(label(100)),
    userId: z.nullish(uuidInput),
    maxConcurrentSessions: z.optional(concurrencyLimit()),
    isActive: z.optional(z.boolean()),
    override: z._default(z.boolean(), false),
  }),
);

/** Input of `academy.updateInstructor`. */
export type UpdateInstructorInput = z.input<typeof updateInstructorSchema>;

/**
 * Input of `academy.createStudent`. The student's code (`STU-…`) is generated.
 *
 * @internal
 */
export const createStudentSchema = z.lazy(() =>
  z.strictObject({
    firstName: label(100),
    lastName: label(100),
    dateOfBirth: z.nullish(localDateSchema),
    levelId: z.nullish(uuidInput),
    userId: z.nullish(uuidInput),
    isActive: z.optional(z.boolean()),
  }),
);

/** Input of `academy.createStudent`. */
export type CreateStudentInput = z.input<typeof createStudentSchema>;

/**
 * Input of `academy.updateStudent`.
 *
 * @internal
 */
export const updateStudentSchema = z.lazy(() =>
  z.strictObject({
    studentId: uuidInput,
    firstName: z.optional(label(100)),
    lastName: z.optional(label(100)),
    dateOfBirth: z.nullish(localDateSchema),
    levelId: z.nullish(uuidInput),
    userId: z.nullish(uuidInput),
    isActive: z.optional(z.boolean()),
  }),
);

/** Input of `academy.updateStudent`. */
export type UpdateStudentInput = z.input<typeof updateStudentSchema>;

/**
 * Input of `academy.createParent`. The parent's code (`PAR-…`) is generated.
 *
 * @internal
 */
export const createParentSchema = z.lazy(() =>
  z.strictObject({
    firstName: label(100),
    lastName: label(100),
    email: z.nullish(email()),
    phone: z.nullish(note(50)),
    userId: z.nullish(uuidInput),
  }),
);

/** Input of `academy.createParent`. */
export type CreateParentInput = z.input<typeof createParentSchema>;

/**
 * Input of `academy.updateParent`.
 *
 * @internal
 */
export const updateParentSchema = z.lazy(() =>
  z.strictObject({
    parentId: uuidInput,
    firstName: z.optional(label(100)),
    lastName: z.optional(label(100)),
    email: z.nullish(email()),
    phone: z.nullish(note(50)),
    userId: z.nullish(uuidInput),
  }),
);

/** Input of `academy.updateParent`. */
export type UpdateParentInput = z.input<typeof updateParentSchema>;

/**
 * Input of `academy.linkParentStudent`: the parent who may act for the student, and
 * how they are related (default `parent`).
 *
 * @internal
 */
export const linkParentStudentSchema = z.lazy(() =>
  z.strictObject({
    parentId: uuidInput,
    studentId: uuidInput,
    relationship: z._default(label(50), 'parent'),
  }),
);

/** Input of `academy.linkParentStudent`. */
export type LinkParentStudentInput = z.input<typeof linkParentStudentSchema>;

/**
 * Input of `academy.unlinkParentStudent`.
 *
 * @internal
 */
export const unlinkParentStudentSchema = z.lazy(() => z.strictObject({ parentId: uuidInput, studentId: uuidInput }));

/** Input of `academy.unlinkParentStudent`. */
export type UnlinkParentStudentInput = z.input<typeof unlinkParentStudentSchema>;

/**
 * Input of `academy.createProgram`.
 *
 * @internal
 */
export const createProgramSchema = z.lazy(() =>
  z.strictObject({
    code: label(50),
    name: label(255),
    description: z.nullish(textInput),
    isActive: z.optional(z.boolean()),
  }),
);

/** Input of `academy.createProgram`. */
export type CreateProgramInput = z.input<typeof createProgramSchema>;

/**
 * Input of `academy.updateProgram`.
 *
 * @internal
 */
export const updateProgramSchema = z.lazy(() =>
  z.strictObject({
    programId: uuidInput,
    code: z.optional(label(50)),
    name: z.optional(label(255)),
    description: z.nullish(textInput),
    isActive: z.optional(z.boolean()),
  }),
);

/** Input of `academy.updateProgram`. */
export type UpdateProgramInput = z.input<typeof updateProgramSchema>;

/**
 * Input of `academy.createLevel`: a level, of one program or (no `programId`) of every program.
 *
 * @internal
 */
export const createLevelSchema = z.lazy(() =>
  z.strictObject({
    code: label(50),
    name: label(255),
    programId: z.nullish(uuidInput),
    sortOrder: z.optional(z.int().check(z.gte(-INT4_MAX), z.lte(INT4_MAX))),
  }),
);

/** Input of `academy.createLevel`. */
export type CreateLevelInput = z.input<typeof createLevelSchema>;

/**
 * Input of `academy.updateLevel`.
 *
 * @internal
 */
export const updateLevelSchema = z.lazy(() =>
  z.strictObject({
    levelId: uuidInput,
    code: z.optional(label(50)),
    name: z.optional(label(255)),
    programId: z.nullish(uuidInput),
    sortOrder: z.optional(z.int().check(z.gte(-INT4_MAX), z.lte(INT4_MAX))),
  }),
);

/** Input of `academy.updateLevel`. */
export type UpdateLevelInput = z.input<typeof updateLevelSchema>;

/**
 * Input of `academy.createCourse`: a course of a program, optionally at a level of it.
 *
 * @internal
 */
export const createCourseSchema = z.lazy(() =>
  z.strictObject({
    programId: uuidInput,
    code: label(50),
    name: label(255),
    levelId: z.nullish(uuidInput),
    description: z.nullish(textInput),
    isActive: z.optional(z.boolean()),
  }),
);

/** Input of `academy.createCourse`. */
export type CreateCourseInput = z.input<typeof createCourseSchema>;

/**
 * Input of `academy.updateCourse`.
 *
 * @internal
 */
export const updateCourseSchema = z.lazy(() =>
  z.strictObject({
    courseId: uuidInput,
    programId: z.optional(uuidInput),
    code: z.optional(label(50)),
    name: z.optional(label(255)),
    levelId: z.nullish(uuidInput),
    description: z.nullish(textInput),
    isActive: z.optional(z.boolean()),
  }),
);

/** Input of `academy.updateCourse`. */
export type UpdateCourseInput = z.input<typeof updateCourseSchema>;

/**
 * Input of `academy.createHoliday`: a day without classes at one location, or (no
 * `locationId`) at every location. Series skip it when they are expanded.
 *
 * @internal
 */
export const createHolidaySchema = z.lazy(() =>
  z.strictObject({
    holidayDate: localDateSchema,
    name: label(255),
    locationId: z.nullish(uuidInput),
  }),
);

/** Input of `academy.createHoliday`. */
export type CreateHolidayInput = z.input<typeof createHolidaySchema>;

/**
 * Input of `academy.updateHoliday`.
 *
 * @internal
 */
export const updateHolidaySchema = z.lazy(() =>
  z.strictObject({
    holidayId: uuidInput,
    holidayDate: z.optional(localDateSchema),
    name: z.optional(label(255)),
    locationId: z.nullish(uuidInput),
  }),
);

/** Input of `academy.updateHoliday`. */
export type UpdateHolidayInput = z.input<typeof updateHolidaySchema>;
