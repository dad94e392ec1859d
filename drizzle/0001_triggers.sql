-- Custom migration: the reference schema's four triggers, corrected, plus the
-- guarantees the database keeps on its own when many transactions race.
--
-- Every function pins its search_path, so a pooled connection that never set one
-- behaves exactly like one that did. Refusals raise SQLSTATEs of class SC, which
-- the TypeScript side maps to SchedulingError codes; DETAIL carries JSON with the
-- ids involved.
--   SC001 capacity exceeded (confirmed bookings, or facility size)
--   SC002 capacity outside the policy for the session type
--   SC003 instructor double-booked
--   SC004 facility overlap
--   SC005 student already in an overlapping session
--   SC006 overlapping availability slots
--   SC007 session not bookable (not scheduled / in progress)
--   SC010 unknown time zone
--
-- Concurrency: a check that reads "how many other rows overlap" first updates the
-- row it is about (instructor, facility, student, session) in place. Under READ
-- COMMITTED the second transaction waits, then re-reads with a fresh snapshot;
-- under REPEATABLE READ it fails with 40001 and is retried. Row locks are NO KEY
-- UPDATE, which does not conflict with the KEY SHARE locks foreign-key checks take:
-- FOR UPDATE would deadlock every pair of concurrent bookings. Lock order is always
-- session -> instructor -> facility -> students (by id), which keeps deadlocks rare.

INSERT INTO scheduling.capacity_policies (session_type, min_capacity, max_capacity)
VALUES ('group', 1, 5), ('private', 1, 2), ('school', 10, 30);
--> statement-breakpoint

-- An administrator override for this transaction: SET LOCAL scheduling.allow_conflicts = 'on'.
CREATE FUNCTION scheduling.conflict_override_enabled() RETURNS boolean
LANGUAGE sql STABLE SET search_path = scheduling, pg_temp AS $$
  SELECT coalesce(current_setting('scheduling.allow_conflicts', true), '') = 'on'
$$;
--> statement-breakpoint

CREATE FUNCTION scheduling.acting_user() RETURNS uuid
LANGUAGE sql STABLE SET search_path = scheduling, pg_temp AS $$
  SELECT (nullif(current_setting('scheduling.actor_id', true), ''))::uuid
$$;
--> statement-breakpoint

CREATE FUNCTION scheduling.is_active_status(p_status text) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = scheduling, pg_temp AS $$
  SELECT p_status IN ('scheduled', 'in_progress')
$$;
--> statement-breakpoint

-- The largest number of intervals that run at one instant, counting [p_start, p_end)
-- itself and the given intervals (which all overlap it). The peak of a set of
-- intervals is reached at one of their start points.
CREATE FUNCTION scheduling.peak_concurrency(
  p_start timestamptz, p_end timestamptz, p_starts timestamptz[], p_ends timestamptz[]
) RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = scheduling, pg_temp AS $$
  WITH o AS (SELECT s, e FROM unnest(p_starts, p_ends) AS o(s, e)),
       pts AS (SELECT p_start AS p UNION SELECT s FROM o WHERE s > p_start AND s < p_end)
  SELECT 1 + coalesce(max(c), 0)::integer
  FROM (SELECT count(*) AS c FROM pts JOIN o ON o.s <= pts.p AND o.e > pts.p GROUP BY pts.p) AS counts
$$;
--> statement-breakpoint

CREATE FUNCTION scheduling.validate_location_timezone() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names WHERE name = NEW.timezone) THEN
    RAISE EXCEPTION USING ERRCODE = 'SC010',
      MESSAGE = format('Unknown time zone %L: use an IANA name such as Europe/London', NEW.timezone),
      DETAIL = json_build_object('timezone', NEW.timezone)::text;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_validate_location_timezone
  BEFORE INSERT OR UPDATE OF timezone ON scheduling.locations
  FOR EACH ROW EXECUTE FUNCTION scheduling.validate_location_timezone();
--> statement-breakpoint

-- Reference trigger 1, corrected: reads the policy table (the same policy the
-- TypeScript domain uses) instead of hard-coded limits, enforces school minimums,
-- and refuses a capacity below the confirmed bookings.
CREATE FUNCTION scheduling.validate_session_capacity() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_policy record;
BEGIN
  -- Counter updates (every booking) must stay cheap: only re-check what changed.
  IF TG_OP = 'UPDATE' AND NEW.capacity = OLD.capacity AND NEW.session_type = OLD.session_type THEN
    RETURN NEW;
  END IF;
  -- FOR SHARE: a policy change waits for this transaction, and vice versa.
  SELECT min_capacity, max_capacity INTO v_policy
  FROM scheduling.capacity_policies WHERE session_type = NEW.session_type FOR SHARE;
  IF NOT FOUND THEN
    -- An unknown type: chk_session_type refuses it right after this trigger.
    RETURN NEW;
  END IF;
  IF NEW.capacity < v_policy.min_capacity OR NEW.capacity > v_policy.max_capacity THEN
    RAISE EXCEPTION USING ERRCODE = 'SC002',
      MESSAGE = format('%s sessions must have a capacity between %s and %s, not %s',
                       NEW.session_type, v_policy.min_capacity, v_policy.max_capacity, NEW.capacity),
      DETAIL = json_build_object('session_type', NEW.session_type, 'capacity', NEW.capacity,
                                 'min', v_policy.min_capacity, 'max', v_policy.max_capacity)::text;
  END IF;
  IF NEW.capacity < NEW.current_bookings THEN
    RAISE EXCEPTION USING ERRCODE = 'SC001',
      MESSAGE = format('Capacity %s is below the %s confirmed bookings of session %s',
                       NEW.capacity, NEW.current_bookings, NEW.session_id),
      DETAIL = json_build_object('session_id', NEW.id, 'capacity', NEW.capacity,
                                 'current_bookings', NEW.current_bookings, 'reason', 'below_confirmed')::text;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_validate_session_capacity
  BEFORE INSERT OR UPDATE ON scheduling.sessions
  FOR EACH ROW EXECUTE FUNCTION scheduling.validate_session_capacity();
--> statement-breakpoint

-- A policy change may not strand sessions outside it: refused while any session that
-- is not cancelled or completed has a capacity outside the new range.
CREATE FUNCTION scheduling.validate_capacity_policy_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_ids uuid[];
BEGIN
  SELECT array_agg(id ORDER BY start_time) INTO v_ids
  FROM (SELECT id, start_time FROM scheduling.sessions
        WHERE session_type = NEW.session_type AND status IN ('scheduled', 'in_progress', 'postponed')
          AND (capacity < NEW.min_capacity OR capacity > NEW.max_capacity)
        LIMIT 100) AS outside;
  IF v_ids IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'SC002',
      MESSAGE = format('%s sessions exist with a capacity outside %s-%s; change them first',
                       cardinality(v_ids), NEW.min_capacity, NEW.max_capacity),
      DETAIL = json_build_object('session_type', NEW.session_type, 'min', NEW.min_capacity,
                                 'max', NEW.max_capacity, 'conflicting_session_ids', v_ids)::text;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_validate_capacity_policy_change
  BEFORE UPDATE ON scheduling.capacity_policies
  FOR EACH ROW EXECUTE FUNCTION scheduling.validate_capacity_policy_change();
--> statement-breakpoint

-- Reference trigger 2, corrected: half-open times, and two slots overlap only when
-- they can apply to the same date (weekly slots with intersecting effective ranges,
-- a specific date inside a weekly slot's range, or the same specific date). Slots
-- of different types may overlap on purpose: a temporary schedule or an exception
-- replaces the regular one for its dates.
CREATE FUNCTION scheduling.validate_instructor_availability() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_clash uuid;
BEGIN
  IF NOT coalesce(NEW.is_active, true) THEN
    RETURN NEW;
  END IF;
  UPDATE scheduling.instructors SET updated_at = updated_at WHERE id = NEW.instructor_id;
  SELECT ia.id INTO v_clash
  FROM scheduling.instructor_availability ia
  WHERE ia.instructor_id = NEW.instructor_id
    AND ia.id <> NEW.id
    AND coalesce(ia.is_active, true)
    AND ia.availability_type = NEW.availability_type
    AND ia.start_time < NEW.end_time AND NEW.start_time < ia.end_time
    AND (
      (ia.specific_date IS NULL AND NEW.specific_date IS NULL AND ia.day_of_week = NEW.day_of_week
        AND daterange(ia.effective_from, ia.effective_until, '[]') && daterange(NEW.effective_from, NEW.effective_until, '[]'))
      OR (ia.specific_date IS NOT NULL AND ia.specific_date = NEW.specific_date)
      OR (ia.specific_date IS NOT NULL AND NEW.specific_date IS NULL
        AND extract(dow FROM ia.specific_date)::int = NEW.day_of_week
        AND ia.specific_date <@ daterange(NEW.effective_from, NEW.effective_until, '[]'))
      OR (NEW.specific_date IS NOT NULL AND ia.specific_date IS NULL
        AND extract(dow FROM NEW.specific_date)::int = ia.day_of_week
        AND NEW.specific_date <@ daterange(ia.effective_from, ia.effective_until, '[]'))
    )
  LIMIT 1;
  IF v_clash IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'SC006',
      MESSAGE = 'Instructor availability slots cannot overlap',
      DETAIL = json_build_object('instructor_id', NEW.instructor_id, 'conflicting_availability_id', v_clash)::text;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_validate_instructor_availability
  BEFORE INSERT OR UPDATE ON scheduling.instructor_availability
  FOR EACH ROW EXECUTE FUNCTION scheduling.validate_instructor_availability();
--> statement-breakpoint

-- The availability rows that cover a session, read in the location's zone. For one
-- local date the rows that apply are, in order of precedence: exception rows for
-- that date; else temporary rows whose dates include it; else regular weekly rows.
-- An exception with max_concurrent_sessions = 0 is a day off. A session that
-- overlaps a row's break is not covered by it. The domain's
-- computeAvailabilityWindows follows the same rules (test/db/availability-parity).
CREATE FUNCTION scheduling.covering_availability(
  p_instructor uuid, p_location uuid, p_start timestamptz, p_end timestamptz
) RETURNS SETOF scheduling.instructor_availability
LANGUAGE sql STABLE SET search_path = scheduling, pg_temp AS $$
  WITH zone AS (
    SELECT coalesce((SELECT timezone FROM scheduling.locations WHERE id = p_location), 'UTC') AS z
  ),
  local_times AS (
    SELECT (p_start AT TIME ZONE z) AS ls, (p_end AT TIME ZONE z) AS le FROM zone
  ),
  day AS (
    SELECT ls::date AS d,
           extract(dow FROM ls)::int AS dow,
           ls::time AS st,
           CASE WHEN le::date = ls::date + 1 AND le::time = '00:00' THEN '24:00'::time ELSE le::time END AS et,
           le::date = ls::date OR (le::date = ls::date + 1 AND le::time = '00:00') AS same_day
    FROM local_times
  ),
  applicable AS (
    SELECT ia.* FROM scheduling.instructor_availability ia, day
    WHERE ia.instructor_id = p_instructor
      AND coalesce(ia.is_active, true)
      AND (ia.location_id IS NULL OR ia.location_id = p_location)
      AND (
        ia.specific_date = day.d
        OR (ia.specific_date IS NULL AND ia.day_of_week = day.dow
            AND day.d >= ia.effective_from AND (ia.effective_until IS NULL OR day.d <= ia.effective_until))
      )
  ),
  temporary_applies AS (
    SELECT EXISTS (
      SELECT 1 FROM scheduling.instructor_availability ia, day
      WHERE ia.instructor_id = p_instructor AND coalesce(ia.is_active, true)
        AND ia.availability_type = 'temporary'
        AND (ia.location_id IS NULL OR ia.location_id = p_location)
        AND (ia.specific_date = day.d
             OR (ia.specific_date IS NULL AND day.d >= ia.effective_from
                 AND (ia.effective_until IS NULL OR day.d <= ia.effective_until)))
    ) AS yes
  ),
  layer AS (
    SELECT CASE
      -- an exception with max_concurrent_sessions = 0 is a day off: it wins over the rest
      WHEN EXISTS (SELECT 1 FROM applicable WHERE availability_type = 'exception' AND max_concurrent_sessions = 0) THEN 'day_off'
      WHEN EXISTS (SELECT 1 FROM applicable WHERE availability_type = 'exception') THEN 'exception'
      WHEN (SELECT yes FROM temporary_applies) THEN 'temporary'
      ELSE 'regular' END AS t
  )
  SELECT a.* FROM applicable a, layer, day
  WHERE a.availability_type = layer.t
    AND day.same_day
    AND coalesce(a.max_concurrent_sessions, 1) > 0
    AND a.start_time <= day.st AND (a.end_time >= day.et)
    AND NOT (a.break_start_time IS NOT NULL AND coalesce(a.break_duration_minutes, 0) > 0
             AND day.st < a.break_start_time + make_interval(mins => a.break_duration_minutes)
             AND a.break_start_time < day.et)
$$;
--> statement-breakpoint

-- How many sessions an instructor may lead at once at that time: the covering
-- availability rows say so, else the instructor's own default (1).
CREATE FUNCTION scheduling.instructor_session_limit(
  p_instructor uuid, p_location uuid, p_start timestamptz, p_end timestamptz
) RETURNS integer
LANGUAGE sql STABLE SET search_path = scheduling, pg_temp AS $$
  SELECT coalesce(
    (SELECT max(coalesce(max_concurrent_sessions, 1))
       FROM scheduling.covering_availability(p_instructor, p_location, p_start, p_end)),
    (SELECT max_concurrent_sessions FROM scheduling.instructors WHERE id = p_instructor),
    1)
$$;
--> statement-breakpoint

-- Inserts a valid schedule_conflicts row (the reference trigger forgot the NOT NULL
-- conflict_id; here it comes from the CON sequence default). Under an override it is
-- stored as resolved by manual_override; otherwise the same open conflict is never
-- stored twice.
CREATE FUNCTION scheduling.record_conflict(
  p_type text, p_session uuid, p_conflicting uuid, p_instructor uuid, p_student uuid, p_facility uuid,
  p_description text, p_start timestamptz, p_end timestamptz, p_severity text, p_overridden boolean
) RETURNS void
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_actor uuid := scheduling.acting_user();
  v_affected integer;
  v_impact numeric(10, 2);
BEGIN
  SELECT count(*), coalesce(sum(amount_charged), 0) INTO v_affected, v_impact
  FROM scheduling.session_bookings WHERE session_id = p_session AND booking_status = 'confirmed';
  IF p_overridden THEN
    INSERT INTO scheduling.schedule_conflicts (
      conflict_type, session_id, conflicting_session_id, instructor_id, student_id, facility_id,
      conflict_description, conflict_time_start, conflict_time_end, severity,
      status, resolution_method, resolution_notes, resolved_at, resolved_by, detected_by,
      affected_bookings, financial_impact)
    VALUES (
      p_type, p_session, p_conflicting, p_instructor, p_student, p_facility,
      p_description, p_start, p_end, p_severity,
      'resolved', 'manual_override', 'Allowed by an administrator override', now(), v_actor, v_actor,
      v_affected, v_impact);
  ELSE
    INSERT INTO scheduling.schedule_conflicts (
      conflict_type, session_id, conflicting_session_id, instructor_id, student_id, facility_id,
      conflict_description, conflict_time_start, conflict_time_end, severity, detected_by,
      affected_bookings, financial_impact)
    VALUES (
      p_type, p_session, p_conflicting, p_instructor, p_student, p_facility,
      p_description, p_start, p_end, p_severity, v_actor,
      v_affected, v_impact)
    ON CONFLICT (conflict_type, session_id,
                 (coalesce(conflicting_session_id, '00000000-0000-0000-0000-000000000000'::uuid)),
                 (coalesce(student_id, '00000000-0000-0000-0000-000000000000'::uuid)))
      WHERE status IN ('detected', 'acknowledged')
    DO NOTHING;
  END IF;
END
$$;
--> statement-breakpoint

-- Instructor or facility: refuses (or, under an override, records) more overlapping
-- active sessions than the limit allows. p_kind is 'instructor' or 'facility'.
CREATE FUNCTION scheduling.enforce_concurrency_limit(p_session scheduling.sessions, p_kind text)
RETURNS void
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_limit integer;
  v_ids uuid[];
  v_codes text[];
  v_starts timestamptz[];
  v_ends timestamptz[];
  v_peak integer;
  v_other record;
BEGIN
  IF p_kind = 'instructor' THEN
    UPDATE scheduling.instructors SET updated_at = updated_at WHERE id = p_session.instructor_id;
    SELECT array_agg(s.id ORDER BY s.start_time), array_agg(s.session_id ORDER BY s.start_time),
           array_agg(s.start_time ORDER BY s.start_time), array_agg(s.end_time ORDER BY s.start_time)
      INTO v_ids, v_codes, v_starts, v_ends
    FROM scheduling.sessions s
    WHERE s.instructor_id = p_session.instructor_id AND s.id <> p_session.id
      AND s.status IN ('scheduled', 'in_progress')
      -- sessions last at most 24 hours, so this bounds the index range scanned
      AND s.start_time > p_session.start_time - interval '24 hours'
      AND s.start_time < p_session.end_time AND s.end_time > p_session.start_time;
  ELSE
    UPDATE scheduling.facilities SET updated_at = updated_at WHERE id = p_session.facility_id;
    SELECT array_agg(s.id ORDER BY s.start_time), array_agg(s.session_id ORDER BY s.start_time),
           array_agg(s.start_time ORDER BY s.start_time), array_agg(s.end_time ORDER BY s.start_time)
      INTO v_ids, v_codes, v_starts, v_ends
    FROM scheduling.sessions s
    WHERE s.facility_id = p_session.facility_id AND s.id <> p_session.id
      AND s.status IN ('scheduled', 'in_progress')
      AND s.start_time > p_session.start_time - interval '24 hours'
      AND s.start_time < p_session.end_time AND s.end_time > p_session.start_time;
  END IF;
  IF v_ids IS NULL THEN
    RETURN;
  END IF;

  IF p_kind = 'instructor' THEN
    v_limit := scheduling.instructor_session_limit(p_session.instructor_id, p_session.location_id,
                                                   p_session.start_time, p_session.end_time);
  ELSE
    SELECT max_concurrent_sessions INTO v_limit FROM scheduling.facilities WHERE id = p_session.facility_id;
  END IF;
  v_peak := scheduling.peak_concurrency(p_session.start_time, p_session.end_time, v_starts, v_ends);
  IF v_peak <= coalesce(v_limit, 1) THEN
    RETURN;
  END IF;

  IF NOT scheduling.conflict_override_enabled() THEN
    IF p_kind = 'instructor' THEN
      RAISE EXCEPTION USING ERRCODE = 'SC003',
        MESSAGE = format('Instructor is already teaching %s at that time', array_to_string(v_codes, ', ')),
        DETAIL = json_build_object('session_id', p_session.id, 'instructor_id', p_session.instructor_id,
                                   'conflicting_session_ids', v_ids, 'conflicting_session_codes', v_codes,
                                   'limit', v_limit)::text;
    ELSE
      RAISE EXCEPTION USING ERRCODE = 'SC004',
        MESSAGE = format('Facility is already used by %s at that time', array_to_string(v_codes, ', ')),
        DETAIL = json_build_object('session_id', p_session.id, 'facility_id', p_session.facility_id,
                                   'conflicting_session_ids', v_ids, 'conflicting_session_codes', v_codes,
                                   'limit', v_limit)::text;
    END IF;
  END IF;

  FOR v_other IN
    SELECT * FROM unnest(v_ids, v_codes, v_starts, v_ends) AS o(id, code, s, e)
  LOOP
    IF p_kind = 'instructor' THEN
      PERFORM scheduling.record_conflict('instructor_double_booking', p_session.id, v_other.id,
        p_session.instructor_id, NULL, NULL,
        format('Instructor has overlapping session assignments (%s and %s)', p_session.session_id, v_other.code),
        greatest(p_session.start_time, v_other.s), least(p_session.end_time, v_other.e), 'high', true);
    ELSE
      PERFORM scheduling.record_conflict('facility_overlap', p_session.id, v_other.id,
        NULL, NULL, p_session.facility_id,
        format('Facility holds overlapping sessions (%s and %s)', p_session.session_id, v_other.code),
        greatest(p_session.start_time, v_other.s), least(p_session.end_time, v_other.e), 'high', true);
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint

-- A student may not be confirmed in two overlapping active sessions.
CREATE FUNCTION scheduling.enforce_student_free(p_student uuid, p_session uuid) RETURNS void
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_session record;
  v_other record;
  v_found boolean := false;
BEGIN
  SELECT id, session_id, start_time, end_time, status INTO v_session FROM scheduling.sessions WHERE id = p_session;
  IF NOT FOUND OR NOT scheduling.is_active_status(v_session.status) THEN
    RETURN;
  END IF;
  UPDATE scheduling.students SET updated_at = updated_at WHERE id = p_student;
  FOR v_other IN
    SELECT s.id, s.session_id AS code, s.start_time, s.end_time
    FROM scheduling.session_bookings b
    JOIN scheduling.sessions s ON s.id = b.session_id
    WHERE b.student_id = p_student AND b.booking_status = 'confirmed' AND b.session_id <> p_session
      AND s.status IN ('scheduled', 'in_progress')
      AND s.start_time < v_session.end_time AND s.end_time > v_session.start_time
    ORDER BY s.start_time
  LOOP
    IF NOT scheduling.conflict_override_enabled() THEN
      RAISE EXCEPTION USING ERRCODE = 'SC005',
        MESSAGE = format('Student is already booked into %s at that time', v_other.code),
        DETAIL = json_build_object('session_id', p_session, 'student_id', p_student,
                                   'conflicting_session_ids', json_build_array(v_other.id),
                                   'conflicting_session_codes', json_build_array(v_other.code))::text;
    END IF;
    PERFORM scheduling.record_conflict('student_conflict', p_session, v_other.id, NULL, p_student, NULL,
      format('Student is booked into overlapping sessions (%s and %s)', v_session.session_id, v_other.code),
      greatest(v_session.start_time, v_other.start_time), least(v_session.end_time, v_other.end_time), 'high', true);
  END LOOP;
END
$$;
--> statement-breakpoint

-- Reference trigger 3, corrected: inserts valid schedule_conflicts rows, treats
-- intervals as half-open (back-to-back sessions do not conflict), covers instructor,
-- facility, facility size, students (when a session moves) and availability, and
-- refuses hard conflicts unless an administrator override is in effect.
CREATE FUNCTION scheduling.detect_scheduling_conflicts() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_is_insert boolean := TG_OP = 'INSERT';
  v_reactivated boolean := false;
  v_moved boolean := false;
  v_new_instructor boolean := false;
  v_new_facility boolean := false;
  v_facility_size integer;
  v_student uuid;
BEGIN
  IF NOT scheduling.is_active_status(NEW.status) THEN
    RETURN NULL;
  END IF;
  IF NOT v_is_insert THEN
    v_reactivated := NOT scheduling.is_active_status(OLD.status);
    v_moved := NEW.start_time <> OLD.start_time OR NEW.end_time <> OLD.end_time;
    v_new_instructor := NEW.instructor_id IS DISTINCT FROM OLD.instructor_id;
    v_new_facility := NEW.facility_id <> OLD.facility_id;
  END IF;
  IF NOT (v_is_insert OR v_reactivated OR v_moved OR v_new_instructor OR v_new_facility
          OR NEW.capacity <> OLD.capacity) THEN
    RETURN NULL;
  END IF;

  IF NEW.instructor_id IS NOT NULL AND (v_is_insert OR v_reactivated OR v_moved OR v_new_instructor) THEN
    PERFORM scheduling.enforce_concurrency_limit(NEW, 'instructor');
  END IF;

  IF v_is_insert OR v_reactivated OR v_moved OR v_new_facility THEN
    PERFORM scheduling.enforce_concurrency_limit(NEW, 'facility');
  END IF;

  SELECT capacity INTO v_facility_size FROM scheduling.facilities WHERE id = NEW.facility_id;
  IF v_facility_size IS NOT NULL AND NEW.capacity > v_facility_size THEN
    IF NOT scheduling.conflict_override_enabled() THEN
      RAISE EXCEPTION USING ERRCODE = 'SC001',
        MESSAGE = format('Capacity %s exceeds the facility''s %s places', NEW.capacity, v_facility_size),
        DETAIL = json_build_object('session_id', NEW.id, 'facility_id', NEW.facility_id, 'capacity', NEW.capacity,
                                   'facility_capacity', v_facility_size, 'reason', 'facility_capacity')::text;
    END IF;
    PERFORM scheduling.record_conflict('capacity_exceeded', NEW.id, NULL, NULL, NULL, NEW.facility_id,
      format('Capacity %s exceeds the facility''s %s places', NEW.capacity, v_facility_size),
      NEW.start_time, NEW.end_time, 'medium', true);
  END IF;

  IF NOT v_is_insert AND (v_moved OR v_reactivated) THEN
    FOR v_student IN
      SELECT student_id FROM scheduling.session_bookings
      WHERE session_id = NEW.id AND booking_status = 'confirmed' ORDER BY student_id
    LOOP
      PERFORM scheduling.enforce_student_free(v_student, NEW.id);
    END LOOP;
  END IF;

  IF NEW.instructor_id IS NOT NULL AND (v_is_insert OR v_reactivated OR v_moved OR v_new_instructor) THEN
    IF EXISTS (SELECT 1 FROM scheduling.instructor_availability
               WHERE instructor_id = NEW.instructor_id AND coalesce(is_active, true))
       AND NOT EXISTS (SELECT 1 FROM scheduling.covering_availability(
                         NEW.instructor_id, NEW.location_id, NEW.start_time, NEW.end_time)) THEN
      PERFORM scheduling.record_conflict('availability_mismatch', NEW.id, NULL, NEW.instructor_id, NULL, NULL,
        format('Session %s is outside the instructor''s availability', NEW.session_id),
        NEW.start_time, NEW.end_time, 'medium', scheduling.conflict_override_enabled());
    ELSE
      -- The session now fits: an open mismatch recorded earlier is settled.
      UPDATE scheduling.schedule_conflicts
      SET status = 'resolved', resolution_method = CASE WHEN v_new_instructor THEN 'instructor_changed' ELSE 'session_moved' END,
          resolved_at = greatest(now(), detected_at), resolved_by = scheduling.acting_user(),
          resolution_notes = 'The session now fits the instructor''s availability'
      WHERE session_id = NEW.id AND conflict_type = 'availability_mismatch' AND status IN ('detected', 'acknowledged');
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_detect_conflicts
  AFTER INSERT OR UPDATE OF start_time, end_time, instructor_id, facility_id, status, capacity
  ON scheduling.sessions
  FOR EACH ROW EXECUTE FUNCTION scheduling.detect_scheduling_conflicts();
--> statement-breakpoint

-- Reference trigger 4, corrected: current_bookings counts confirmed bookings only,
-- on insert (a pending booking does not count), every status change, delete, and a
-- booking moved to another session; confirming into a full or inactive session is
-- refused; a newly confirmed student must be free at that time.
CREATE FUNCTION scheduling.update_session_bookings() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_old_counts boolean := false;
  v_new_counts boolean := false;
  v_old_session uuid;
  v_new_session uuid;
  v_target record;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    v_old_counts := OLD.booking_status = 'confirmed';
    v_old_session := OLD.session_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    v_new_counts := NEW.booking_status = 'confirmed';
    v_new_session := NEW.session_id;
  END IF;
  IF v_old_counts AND v_new_counts AND v_old_session = v_new_session THEN
    IF OLD.student_id <> NEW.student_id THEN
      PERFORM scheduling.enforce_student_free(NEW.student_id, NEW.session_id);
    END IF;
    RETURN NULL;
  END IF;

  -- Both rows of a move are locked in id order, so opposite moves cannot deadlock.
  IF v_old_counts AND v_new_counts THEN
    PERFORM 1 FROM scheduling.sessions WHERE id IN (v_old_session, v_new_session) ORDER BY id FOR NO KEY UPDATE;
  END IF;

  IF v_old_counts THEN
    UPDATE scheduling.sessions SET current_bookings = current_bookings - 1 WHERE id = v_old_session;
  END IF;

  IF v_new_counts THEN
    SELECT id, session_id, status, capacity, current_bookings INTO v_target
    FROM scheduling.sessions WHERE id = v_new_session FOR NO KEY UPDATE;
    IF NOT scheduling.is_active_status(v_target.status) THEN
      RAISE EXCEPTION USING ERRCODE = 'SC007',
        MESSAGE = format('Session %s is %s and cannot take bookings', v_target.session_id, v_target.status),
        DETAIL = json_build_object('session_id', v_new_session, 'status', v_target.status)::text;
    END IF;
    IF v_target.current_bookings >= v_target.capacity THEN
      RAISE EXCEPTION USING ERRCODE = 'SC001',
        MESSAGE = format('Session %s is full (%s of %s places taken)', v_target.session_id,
                         v_target.current_bookings, v_target.capacity),
        DETAIL = json_build_object('session_id', v_new_session, 'capacity', v_target.capacity,
                                   'current_bookings', v_target.current_bookings, 'reason', 'full')::text;
    END IF;
    UPDATE scheduling.sessions SET current_bookings = current_bookings + 1 WHERE id = v_new_session;
    PERFORM scheduling.enforce_student_free(NEW.student_id, v_new_session);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_update_session_bookings
  AFTER INSERT OR UPDATE OR DELETE ON scheduling.session_bookings
  FOR EACH ROW EXECUTE FUNCTION scheduling.update_session_bookings();
