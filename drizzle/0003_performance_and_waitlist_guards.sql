-- Custom migration: cheaper session triggers, a student never both booked and
-- waiting for the same session, and two partial indexes for the waitlist.
--
-- New SQLSTATE (class SC, see 0001_triggers.sql):
--   SC008 student both confirmed in a session and actively waiting on its waitlist
--
-- Functions keep their signatures, pinned search_path, SQLSTATEs and DETAIL JSON:
-- the TypeScript side maps them and must not notice the change.

-- A student confirmed in a session must not also hold an active place in its queue
-- (waiting, notified or offered). Checked at commit (DEFERRABLE INITIALLY DEFERRED):
-- accepting an offer writes the booking first and closes the entry right after, in
-- the same transaction. The check reads the pair as it is at commit, and first
-- updates the student row in place, as the other per-student checks do: two
-- transactions writing the two halves for the same student queue on that row, and the
-- second sees the first's row (READ COMMITTED) or fails with 40001 and is retried
-- (REPEATABLE READ).
CREATE FUNCTION scheduling.enforce_booked_or_waiting() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_pair record;
BEGIN
  UPDATE scheduling.students SET updated_at = updated_at WHERE id = NEW.student_id;
  SELECT b.id AS booking_id, b.booking_id AS booking_code, w.id AS waitlist_id, w.waitlist_id AS waitlist_code,
         w.status AS waitlist_status
    INTO v_pair
  FROM scheduling.session_bookings b
  JOIN scheduling.session_waitlist w ON w.session_id = b.session_id AND w.student_id = b.student_id
  WHERE b.session_id = NEW.session_id AND b.student_id = NEW.student_id
    AND b.booking_status = 'confirmed'
    AND w.status IN ('waiting', 'notified', 'offered');
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'SC008',
      MESSAGE = format('The student is both booked into this session (%s) and on its waitlist (%s, %s)',
                       v_pair.booking_code, v_pair.waitlist_code, v_pair.waitlist_status),
      DETAIL = json_build_object('session_id', NEW.session_id, 'student_id', NEW.student_id,
                                 'booking_id', v_pair.booking_id, 'waitlist_id', v_pair.waitlist_id,
                                 'waitlist_status', v_pair.waitlist_status)::text;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE CONSTRAINT TRIGGER trigger_booking_not_waiting
  AFTER INSERT OR UPDATE OF booking_status, session_id, student_id ON scheduling.session_bookings
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.booking_status = 'confirmed')
  EXECUTE FUNCTION scheduling.enforce_booked_or_waiting();
--> statement-breakpoint

CREATE CONSTRAINT TRIGGER trigger_waiting_not_booked
  AFTER INSERT OR UPDATE OF status, session_id, student_id ON scheduling.session_waitlist
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.status IN ('waiting', 'notified', 'offered'))
  EXECUTE FUNCTION scheduling.enforce_booked_or_waiting();
--> statement-breakpoint

-- notifications.claim: unclaimed open offers and unanswered automatic bookings,
-- oldest deadline first (ASC is NULLS LAST), then updated_at, id, LIMIT n: the index
-- gives that order, so a claim reads the first rows and stops.
CREATE INDEX idx_session_waitlist_notification_claim
  ON scheduling.session_waitlist (response_deadline, updated_at, id)
  WHERE notified_at IS NULL AND status IN ('offered', 'accepted');
--> statement-breakpoint

-- A session's active queue in order (activeEntries, renumbering, loads): only live rows.
CREATE INDEX idx_session_waitlist_active_queue
  ON scheduling.session_waitlist (session_id, position)
  WHERE status IN ('waiting', 'notified', 'offered');
--> statement-breakpoint

-- sessions.create spent most of its database time planning: covering_availability
-- was a SQL function with a pinned search_path, which Postgres (before 18) can
-- neither inline nor keep a plan for, so every call planned its six CTEs again (it
-- runs in every session insert, move and instructor change). The same query in
-- PL/pgSQL is planned once per connection. Same signature, same rows
-- (test/db/availability-parity).
CREATE OR REPLACE FUNCTION scheduling.covering_availability(
  p_instructor uuid, p_location uuid, p_start timestamptz, p_end timestamptz
) RETURNS SETOF scheduling.instructor_availability
LANGUAGE plpgsql STABLE SET search_path = scheduling, pg_temp AS $$
BEGIN
  RETURN QUERY
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
               AND a.break_start_time < day.et);
END
$$;
--> statement-breakpoint

-- The facility limit is read by the statement that locks the room (one statement fewer).
CREATE OR REPLACE FUNCTION scheduling.enforce_concurrency_limit(p_session scheduling.sessions, p_kind text)
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
    -- Lock the room and read its limit in one statement.
    UPDATE scheduling.facilities SET updated_at = updated_at WHERE id = p_session.facility_id
      RETURNING max_concurrent_sessions INTO v_limit;
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

-- As in 0001, but an insert skips the statement that settles an earlier availability
-- mismatch of the same session: a new session has none.
CREATE OR REPLACE FUNCTION scheduling.detect_scheduling_conflicts() RETURNS trigger
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
    ELSIF NOT v_is_insert THEN
      -- The session now fits: an open mismatch recorded earlier is settled (a new
      -- session has none yet, so an insert skips this statement).
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
