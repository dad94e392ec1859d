-- Custom migration: every guarantee on every write path.
--
-- 0001-0005 guarded the writes that add a booking or a session. This migration guards
-- the writes that change a LIMIT or DERIVED DATA instead, makes the instructor limit
-- independent of the order sessions were written, makes held offers a database rule,
-- keeps waitlist positions 1..n in the database, and makes every check hold at
-- REPEATABLE READ and SERIALIZABLE as well as READ COMMITTED. docs/guarantees.md lists,
-- for each guarantee, every table, column and statement kind that can change it and
-- which function below (or in 0001-0005) guards it.
--
-- New SQLSTATE (class SC, see 0001_triggers.sql):
--   SC009 waitlist positions of a session not exactly 1..n
-- New refusal reasons of existing SQLSTATEs (DETAIL "reason"):
--   SC001 'held_offers'      confirming would take a place held by an offer
--   SC001 'below_held_offers' capacity below confirmed bookings + held offers
--   SC001 'derived_counter'   current_bookings written to anything but the confirmed count
--   SC002 'policy_removed'    a capacity policy row deleted or truncated
--   SC003/SC004 'limit_lowered' a limit lowered below what live sessions use
--
-- GUARD ROWS. Each guarantee is kept by counting under a lock on one row: a session
-- (its bookings, offers and queue), an instructor, a facility, a student, a capacity
-- policy. Every write that can change what is counted UPDATES that row in place
-- ("touches" it: SET updated_at = updated_at), and so does every write that lowers the
-- limit. An UPDATE, not just a row lock, on both sides: under READ COMMITTED the
-- second writer waits and then reads with a fresh snapshot; under REPEATABLE READ and
-- SERIALIZABLE its snapshot is older than the first writer's commit, and Postgres
-- refuses to update (or lock) a row changed since the snapshot with 40001, which the
-- scheduler retries. A lock without an update would let a later REPEATABLE READ
-- transaction through on a stale snapshot.
--
-- Limits that are read from many rows are guarded through the rows every affected
-- write already touches:
--   capacity policy: session writes take the policy row FOR SHARE and touch their
--     facility; a policy change touches every facility; a new facility touches the
--     policy rows (so a session in a facility the policy change could not see is still
--     caught);
--   a location's time zone (which moves sessions out of the availability that allowed
--     them): the change touches every instructor and facility; a new facility touches
--     its location.

-- The rule every instructor limit is checked by, in one place: at every instant, an
-- instructor's running (scheduled or in-progress) sessions may not outnumber the limit
-- of ANY of them, where a session's limit is its covering availability's
-- max_concurrent_sessions, else the instructor's own (instructor_session_limit). Put
-- per session: the peak number of the instructor's sessions running at once during a
-- session is at most that session's limit. (0001 checked only the limit of the session
-- being written, so with a slot covering one session but not another, the order of
-- writing decided which pair was allowed.) A facility's limit is the same for every
-- session in it.
--
-- Returns each running session over its limit (every one when p_owner is null), with
-- the peak, the limit and the sessions overlapping it. maintenance.verifyIntegrity and
-- the limit-change triggers below use this; the insert/move check
-- (enforce_concurrency_limit) applies the same rule to the sessions around the one
-- written, and test/db/instructor-limit-order.property.test.ts proves they agree.
CREATE FUNCTION scheduling.concurrency_violations(p_kind text, p_owner uuid)
RETURNS TABLE (owner_id uuid, session_id uuid, session_code text, peak integer, session_limit integer,
               other_ids uuid[], other_codes text[])
LANGUAGE plpgsql STABLE SET search_path = scheduling, pg_temp SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  IF p_kind = 'instructor' THEN
    RETURN QUERY
      SELECT g.owner_id, g.id, g.code, g.peak, g.lim, g.others, g.other_codes FROM (
        SELECT s.instructor_id AS owner_id, s.id, s.session_id::text AS code,
               scheduling.peak_concurrency(s.start_time, s.end_time, array_agg(o.start_time), array_agg(o.end_time)) AS peak,
               scheduling.instructor_session_limit(s.instructor_id, s.location_id, s.start_time, s.end_time) AS lim,
               array_agg(o.id ORDER BY o.start_time, o.id) AS others,
               array_agg(o.session_id::text ORDER BY o.start_time, o.id) AS other_codes
        FROM scheduling.sessions s
        JOIN scheduling.sessions o ON o.instructor_id = s.instructor_id AND o.id <> s.id
          AND o.status IN ('scheduled', 'in_progress')
          AND o.start_time > s.start_time - interval '24 hours' AND o.start_time < s.end_time
          AND o.end_time > s.start_time
        WHERE s.status IN ('scheduled', 'in_progress') AND s.instructor_id IS NOT NULL
          AND (p_owner IS NULL OR s.instructor_id = p_owner)
        GROUP BY s.id
      ) AS g
      WHERE g.peak > g.lim;
  ELSE
    RETURN QUERY
      SELECT g.owner_id, g.id, g.code, g.peak, g.lim, g.others, g.other_codes FROM (
        SELECT s.facility_id AS owner_id, s.id, s.session_id::text AS code,
               scheduling.peak_concurrency(s.start_time, s.end_time, array_agg(o.start_time), array_agg(o.end_time)) AS peak,
               (SELECT coalesce(f.max_concurrent_sessions, 1) FROM scheduling.facilities f WHERE f.id = s.facility_id) AS lim,
               array_agg(o.id ORDER BY o.start_time, o.id) AS others,
               array_agg(o.session_id::text ORDER BY o.start_time, o.id) AS other_codes
        FROM scheduling.sessions s
        JOIN scheduling.sessions o ON o.facility_id = s.facility_id AND o.id <> s.id
          AND o.status IN ('scheduled', 'in_progress')
          AND o.start_time > s.start_time - interval '24 hours' AND o.start_time < s.end_time
          AND o.end_time > s.start_time
        WHERE s.status IN ('scheduled', 'in_progress')
          AND (p_owner IS NULL OR s.facility_id = p_owner)
        GROUP BY s.id
      ) AS g
      WHERE g.peak > g.lim;
  END IF;
END
$$;
--> statement-breakpoint

-- True when an administrator override already let this session break this kind of
-- limit (a conflict recorded as resolved by manual_override names it). Such a session
-- does not block a later, unrelated limit change; it stays in verifyIntegrity's report.
CREATE FUNCTION scheduling.overload_accepted(p_conflict_type text, p_session uuid) RETURNS boolean
LANGUAGE sql STABLE SET search_path = scheduling, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM scheduling.schedule_conflicts c
    WHERE c.conflict_type = p_conflict_type AND c.resolution_method = 'manual_override'
      AND (c.session_id = p_session OR c.conflicting_session_id = p_session))
$$;
--> statement-breakpoint

-- After a limit changed (instructor or facility concurrency, availability, a
-- location's time zone): refuses when a running session is now over its limit, naming
-- the sessions, unless an override was already recorded for it; under an override the
-- change goes through and each overload is recorded as a resolved conflict. The caller
-- has touched the owner's guard row.
CREATE FUNCTION scheduling.enforce_lowered_limit(p_kind text, p_owner uuid, p_change text) RETURNS void
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_type text := CASE p_kind WHEN 'instructor' THEN 'instructor_double_booking' ELSE 'facility_overlap' END;
  v_ids uuid[];
  v_codes text[];
  v_pair record;
BEGIN
  SELECT array_agg(v.session_id ORDER BY v.session_code), array_agg(v.session_code ORDER BY v.session_code)
    INTO v_ids, v_codes
  FROM scheduling.concurrency_violations(p_kind, p_owner) v
  WHERE NOT scheduling.overload_accepted(v_type, v.session_id);
  IF v_ids IS NULL THEN
    RETURN;
  END IF;
  IF NOT scheduling.conflict_override_enabled() THEN
    IF p_kind = 'instructor' THEN
      RAISE EXCEPTION USING ERRCODE = 'SC003',
        MESSAGE = format('%s would leave the instructor teaching more sessions at once than allowed in %s',
                         p_change, array_to_string(v_codes, ', ')),
        DETAIL = json_build_object('instructor_id', p_owner, 'conflicting_session_ids', v_ids,
                                   'conflicting_session_codes', v_codes, 'reason', 'limit_lowered')::text;
    ELSE
      RAISE EXCEPTION USING ERRCODE = 'SC004',
        MESSAGE = format('%s would leave the facility holding more sessions at once than allowed in %s',
                         p_change, array_to_string(v_codes, ', ')),
        DETAIL = json_build_object('facility_id', p_owner, 'conflicting_session_ids', v_ids,
                                   'conflicting_session_codes', v_codes, 'reason', 'limit_lowered')::text;
    END IF;
  END IF;
  FOR v_pair IN
    SELECT s.id, s.session_id AS code, s.start_time, s.end_time, o.id AS other_id, o.session_id AS other_code,
           o.start_time AS other_start, o.end_time AS other_end
    FROM unnest(v_ids) AS over(id)
    JOIN scheduling.sessions s ON s.id = over.id
    JOIN scheduling.sessions o ON (CASE WHEN p_kind = 'instructor' THEN o.instructor_id = s.instructor_id ELSE o.facility_id = s.facility_id END)
      AND o.id <> s.id AND o.status IN ('scheduled', 'in_progress')
      AND o.start_time < s.end_time AND o.end_time > s.start_time
    ORDER BY s.id, o.id
  LOOP
    PERFORM scheduling.record_conflict(v_type, v_pair.id, v_pair.other_id,
      CASE WHEN p_kind = 'instructor' THEN p_owner END, NULL, CASE WHEN p_kind = 'facility' THEN p_owner END,
      format('%s: %s and %s overlap beyond the limit', p_change, v_pair.code, v_pair.other_code),
      greatest(v_pair.start_time, v_pair.other_start), least(v_pair.end_time, v_pair.other_end), 'high', true);
  END LOOP;
END
$$;
--> statement-breakpoint

-- As in 0005, plus the rule above: when the new or moved session is within its own
-- limit, every session it overlaps must still be within its own limit at the instants
-- the two share (all sessions running then overlap the new one, so the arrays read
-- here hold them). Same signature, SQLSTATEs and DETAIL JSON.
CREATE OR REPLACE FUNCTION scheduling.enforce_concurrency_limit(p_session scheduling.sessions, p_kind text)
RETURNS void
LANGUAGE plpgsql SET search_path = scheduling, pg_temp SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_limit integer;
  v_ids uuid[];
  v_codes text[];
  v_starts timestamptz[];
  v_ends timestamptz[];
  v_locations uuid[];
  v_peak integer;
  v_over boolean;
  v_other_limit integer;
  v_other_peak integer;
  v_other record;
BEGIN
  IF p_kind = 'instructor' THEN
    UPDATE scheduling.instructors SET updated_at = updated_at WHERE id = p_session.instructor_id;
    SELECT array_agg(s.id ORDER BY s.start_time), array_agg(s.session_id ORDER BY s.start_time),
           array_agg(s.start_time ORDER BY s.start_time), array_agg(s.end_time ORDER BY s.start_time),
           array_agg(s.location_id ORDER BY s.start_time)
      INTO v_ids, v_codes, v_starts, v_ends, v_locations
    FROM scheduling.sessions s
    WHERE s.instructor_id = p_session.instructor_id AND s.id <> p_session.id
      AND s.status IN ('scheduled', 'in_progress')
      -- the four bounds of the time window: see 0005
      AND s.start_time > p_session.start_time - interval '24 hours' AND s.start_time < p_session.end_time
      AND s.end_time > p_session.start_time AND s.end_time < p_session.end_time + interval '24 hours';
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
      AND s.start_time > p_session.start_time - interval '24 hours' AND s.start_time < p_session.end_time
      AND s.end_time > p_session.start_time AND s.end_time < p_session.end_time + interval '24 hours';
  END IF;
  IF v_ids IS NULL THEN
    RETURN;
  END IF;

  IF p_kind = 'instructor' THEN
    v_limit := scheduling.instructor_session_limit(p_session.instructor_id, p_session.location_id,
                                                   p_session.start_time, p_session.end_time);
  END IF;
  v_limit := coalesce(v_limit, 1);
  v_peak := scheduling.peak_concurrency(p_session.start_time, p_session.end_time, v_starts, v_ends);
  v_over := v_peak > v_limit;
  IF NOT v_over AND p_kind = 'instructor' THEN
    FOR i IN 1 .. cardinality(v_ids) LOOP
      v_other_limit := scheduling.instructor_session_limit(p_session.instructor_id, v_locations[i], v_starts[i], v_ends[i]);
      -- The peak during the shared time is at most the peak during the new session.
      CONTINUE WHEN v_other_limit >= v_peak;
      v_other_peak := scheduling.peak_concurrency(
        greatest(p_session.start_time, v_starts[i]), least(p_session.end_time, v_ends[i]),
        v_starts[1:i - 1] || v_starts[i + 1:] || p_session.start_time,
        v_ends[1:i - 1] || v_ends[i + 1:] || p_session.end_time);
      IF v_other_peak > v_other_limit THEN
        v_over := true;
        v_limit := v_other_limit;
        EXIT;
      END IF;
    END LOOP;
  END IF;
  IF NOT v_over THEN
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

-- As in 0003, and: a change of location counts as a move for the instructor (the
-- availability that covers a session is read in its location's zone); a session that
-- is live for the capacity policy (scheduled, in progress, postponed) touches its
-- facility whenever the policy applies to it anew (inserted, resumed, capacity or type
-- changed), the guard row a policy change touches; the facility is locked before its
-- size is read.
CREATE OR REPLACE FUNCTION scheduling.detect_scheduling_conflicts() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_is_insert boolean := TG_OP = 'INSERT';
  v_live boolean := NEW.status IN ('scheduled', 'in_progress', 'postponed');
  v_reactivated boolean := false;
  v_moved boolean := false;
  v_new_instructor boolean := false;
  v_new_facility boolean := false;
  v_new_capacity boolean := false;
  v_policy_applies boolean;
  v_facility_size integer;
  v_student uuid;
BEGIN
  IF NOT v_is_insert THEN
    v_reactivated := NOT scheduling.is_active_status(OLD.status);
    v_moved := NEW.start_time <> OLD.start_time OR NEW.end_time <> OLD.end_time OR NEW.location_id <> OLD.location_id;
    v_new_instructor := NEW.instructor_id IS DISTINCT FROM OLD.instructor_id;
    v_new_facility := NEW.facility_id <> OLD.facility_id;
    v_new_capacity := NEW.capacity <> OLD.capacity OR NEW.session_type <> OLD.session_type;
  END IF;
  IF v_is_insert THEN
    v_policy_applies := v_live;
  ELSE
    v_policy_applies := v_live AND (v_new_capacity OR OLD.status NOT IN ('scheduled', 'in_progress', 'postponed'));
  END IF;
  IF NOT scheduling.is_active_status(NEW.status) THEN
    IF v_policy_applies THEN
      UPDATE scheduling.facilities SET updated_at = updated_at WHERE id = NEW.facility_id;
    END IF;
    RETURN NULL;
  END IF;
  IF NOT (v_is_insert OR v_reactivated OR v_moved OR v_new_instructor OR v_new_facility OR v_new_capacity) THEN
    RETURN NULL;
  END IF;

  IF NEW.instructor_id IS NOT NULL AND (v_is_insert OR v_reactivated OR v_moved OR v_new_instructor) THEN
    PERFORM scheduling.enforce_concurrency_limit(NEW, 'instructor');
  END IF;

  IF v_is_insert OR v_reactivated OR v_moved OR v_new_facility THEN
    PERFORM scheduling.enforce_concurrency_limit(NEW, 'facility');
  ELSE
    UPDATE scheduling.facilities SET updated_at = updated_at WHERE id = NEW.facility_id;
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

DROP TRIGGER trigger_detect_conflicts ON scheduling.sessions;
--> statement-breakpoint

CREATE TRIGGER trigger_detect_conflicts
  AFTER INSERT OR UPDATE OF start_time, end_time, instructor_id, facility_id, location_id, status, capacity, session_type
  ON scheduling.sessions
  FOR EACH ROW EXECUTE FUNCTION scheduling.detect_scheduling_conflicts();
--> statement-breakpoint

-- As in 0001, and: a session coming back (cancelled or completed set to scheduled, in
-- progress or postponed) is checked against the policy as it is now; a missing policy
-- row refuses instead of letting any capacity through; lowering the capacity may not
-- take a place held by an offer. It now fires only when capacity, type or status is
-- written, so the booking counter's updates and the guard-row touches skip it.
CREATE OR REPLACE FUNCTION scheduling.validate_session_capacity() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_policy record;
  v_held integer;
BEGIN
  -- Counter updates (every booking) must stay cheap: only re-check what changed.
  IF TG_OP = 'UPDATE' AND NEW.capacity = OLD.capacity AND NEW.session_type = OLD.session_type
     AND NOT (NEW.status IN ('scheduled', 'in_progress', 'postponed')
              AND OLD.status NOT IN ('scheduled', 'in_progress', 'postponed')) THEN
    RETURN NEW;
  END IF;
  -- FOR SHARE: a policy change waits for this transaction, and vice versa.
  SELECT min_capacity, max_capacity INTO v_policy
  FROM scheduling.capacity_policies WHERE session_type = NEW.session_type FOR SHARE;
  IF NOT FOUND THEN
    IF NEW.session_type NOT IN ('group', 'private', 'school') THEN
      RETURN NEW; -- chk_session_type refuses it right after this trigger
    END IF;
    RAISE EXCEPTION USING ERRCODE = 'SC002',
      MESSAGE = format('No capacity policy for %s sessions', NEW.session_type),
      DETAIL = json_build_object('session_type', NEW.session_type, 'reason', 'policy_removed')::text;
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
  IF TG_OP = 'UPDATE' AND NEW.capacity < OLD.capacity THEN
    SELECT count(*) INTO v_held FROM scheduling.session_waitlist WHERE session_id = NEW.id AND status = 'offered';
    IF NEW.capacity < NEW.current_bookings + v_held THEN
      RAISE EXCEPTION USING ERRCODE = 'SC001',
        MESSAGE = format('Capacity %s is below the %s confirmed bookings and %s places held by offers of session %s',
                         NEW.capacity, NEW.current_bookings, v_held, NEW.session_id),
        DETAIL = json_build_object('session_id', NEW.id, 'capacity', NEW.capacity, 'current_bookings', NEW.current_bookings,
                                   'held_offers', v_held, 'reason', 'below_held_offers')::text;
    END IF;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint

DROP TRIGGER trigger_validate_session_capacity ON scheduling.sessions;
--> statement-breakpoint

CREATE TRIGGER trigger_validate_session_capacity
  BEFORE INSERT OR UPDATE OF capacity, session_type, status ON scheduling.sessions
  FOR EACH ROW EXECUTE FUNCTION scheduling.validate_session_capacity();
--> statement-breakpoint

-- current_bookings is derived: the booking triggers keep it equal to the confirmed
-- bookings. Anyone else may only write it to that number (maintenance.recountBookings
-- does); a new session starts at 0. A write from inside a trigger (pg_trigger_depth() >
-- 1: update_session_bookings' +1/-1, the TRUNCATE reset below) passes here, so that a
-- booking pays no count; trigger_check_booking_counter (below) checks every write of the
-- counter at commit, whoever made it.
CREATE FUNCTION scheduling.guard_booking_counter() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_actual integer;
BEGIN
  IF TG_OP = 'INSERT' THEN
    v_actual := 0;
  ELSIF NEW.current_bookings = OLD.current_bookings OR pg_trigger_depth() > 1 THEN
    RETURN NEW;
  ELSE
    SELECT count(*) INTO v_actual FROM scheduling.session_bookings
    WHERE session_id = NEW.id AND booking_status = 'confirmed';
  END IF;
  IF NEW.current_bookings IS DISTINCT FROM v_actual THEN
    RAISE EXCEPTION USING ERRCODE = 'SC001',
      MESSAGE = format('current_bookings of session %s is kept by the booking triggers: it is %s, not %s',
                       NEW.session_id, v_actual, NEW.current_bookings),
      DETAIL = json_build_object('session_id', NEW.id, 'current_bookings', NEW.current_bookings,
                                 'confirmed', v_actual, 'reason', 'derived_counter')::text;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_guard_booking_counter
  BEFORE INSERT OR UPDATE OF current_bookings ON scheduling.sessions
  FOR EACH ROW EXECUTE FUNCTION scheduling.guard_booking_counter();
--> statement-breakpoint

-- TRUNCATE of the bookings leaves no confirmed booking anywhere.
CREATE FUNCTION scheduling.reset_booking_counters() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
BEGIN
  UPDATE scheduling.sessions SET current_bookings = 0 WHERE current_bookings <> 0;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_reset_booking_counters
  AFTER TRUNCATE ON scheduling.session_bookings
  FOR EACH STATEMENT EXECUTE FUNCTION scheduling.reset_booking_counters();
--> statement-breakpoint

-- As in 0001, and a confirmation may not take a place held by an offer to another
-- student: confirmed + offers of others < capacity. An offer holds its place until it
-- is accepted, declined, expired or withdrawn; the scheduler expires offers past their
-- deadline before it books (their places go to the next in line first).
CREATE OR REPLACE FUNCTION scheduling.update_session_bookings() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_old_counts boolean := false;
  v_new_counts boolean := false;
  v_old_session uuid;
  v_new_session uuid;
  v_target record;
  v_held integer;
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
      -- The place now belongs to another student: an offer the old one held counts again.
      SELECT id, session_id, capacity, current_bookings INTO v_target
      FROM scheduling.sessions WHERE id = NEW.session_id FOR NO KEY UPDATE;
      SELECT count(*) INTO v_held FROM scheduling.session_waitlist
      WHERE session_id = NEW.session_id AND status = 'offered' AND student_id <> NEW.student_id;
      IF v_target.current_bookings + v_held > v_target.capacity THEN
        RAISE EXCEPTION USING ERRCODE = 'SC001',
          MESSAGE = format('Session %s has no free place: %s confirmed and %s held by offers, of %s',
                           v_target.session_id, v_target.current_bookings, v_held, v_target.capacity),
          DETAIL = json_build_object('session_id', NEW.session_id, 'capacity', v_target.capacity,
                                     'current_bookings', v_target.current_bookings, 'held_offers', v_held,
                                     'reason', 'held_offers')::text;
      END IF;
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
    SELECT count(*) INTO v_held FROM scheduling.session_waitlist
    WHERE session_id = v_new_session AND status = 'offered' AND student_id <> NEW.student_id;
    IF v_target.current_bookings + v_held >= v_target.capacity THEN
      RAISE EXCEPTION USING ERRCODE = 'SC001',
        MESSAGE = format('Session %s has no free place: %s confirmed and %s held by offers, of %s',
                         v_target.session_id, v_target.current_bookings, v_held, v_target.capacity),
        DETAIL = json_build_object('session_id', v_new_session, 'capacity', v_target.capacity,
                                   'current_bookings', v_target.current_bookings, 'held_offers', v_held,
                                   'reason', 'held_offers')::text;
    END IF;
    UPDATE scheduling.sessions SET current_bookings = current_bookings + 1 WHERE id = v_new_session;
    PERFORM scheduling.enforce_student_free(NEW.student_id, v_new_session);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint

-- An offer holds a place: confirmed bookings + open offers never exceed the capacity.
-- Making an offer touches the session row, the guard row every booking updates.
CREATE FUNCTION scheduling.enforce_offer_holds_place() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_session record;
  v_held integer;
BEGIN
  UPDATE scheduling.sessions SET updated_at = updated_at WHERE id = NEW.session_id
    RETURNING id, session_id, capacity, current_bookings INTO v_session;
  SELECT count(*) INTO v_held FROM scheduling.session_waitlist WHERE session_id = NEW.session_id AND status = 'offered';
  IF v_session.current_bookings + v_held > v_session.capacity THEN
    RAISE EXCEPTION USING ERRCODE = 'SC001',
      MESSAGE = format('Session %s has no place to offer: %s confirmed and %s offers, of %s',
                       v_session.session_id, v_session.current_bookings, v_held, v_session.capacity),
      DETAIL = json_build_object('session_id', NEW.session_id, 'capacity', v_session.capacity,
                                 'current_bookings', v_session.current_bookings, 'held_offers', v_held,
                                 'waitlist_id', NEW.id, 'reason', 'held_offers')::text;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_offer_holds_place
  AFTER INSERT OR UPDATE OF status, session_id, student_id ON scheduling.session_waitlist
  FOR EACH ROW WHEN (NEW.status = 'offered')
  EXECUTE FUNCTION scheduling.enforce_offer_holds_place();
--> statement-breakpoint

-- The active entries of a session's waitlist (waiting, notified, offered) hold
-- positions 1..n, each once. Checked at commit, because renumbering moves several
-- rows; the check first touches the session row, so two transactions changing one
-- queue are checked one after the other (READ COMMITTED) or the later fails with
-- 40001 (REPEATABLE READ, SERIALIZABLE).
CREATE FUNCTION scheduling.enforce_waitlist_positions() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_session uuid;
  v_queue record;
BEGIN
  FOR v_session IN
    SELECT DISTINCT x FROM unnest(ARRAY[
      CASE WHEN TG_OP <> 'DELETE' THEN NEW.session_id END,
      CASE WHEN TG_OP <> 'INSERT' THEN OLD.session_id END]) AS x
    WHERE x IS NOT NULL ORDER BY x
  LOOP
    UPDATE scheduling.sessions SET updated_at = updated_at WHERE id = v_session;
    SELECT count(*) AS n, count(DISTINCT position) AS distinct_positions, min(position) AS low, max(position) AS high,
           array_agg(position ORDER BY position) AS positions
      INTO v_queue
    FROM scheduling.session_waitlist
    WHERE session_id = v_session AND status IN ('waiting', 'notified', 'offered');
    IF v_queue.n > 0 AND (v_queue.distinct_positions <> v_queue.n OR v_queue.low <> 1 OR v_queue.high <> v_queue.n) THEN
      RAISE EXCEPTION USING ERRCODE = 'SC009',
        MESSAGE = format('The waitlist of session %s would hold positions %s, not 1..%s',
                         v_session, array_to_string(v_queue.positions, ','), v_queue.n),
        DETAIL = json_build_object('session_id', v_session, 'positions', v_queue.positions)::text;
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE CONSTRAINT TRIGGER trigger_waitlist_positions
  AFTER INSERT OR DELETE OR UPDATE OF position, status, session_id ON scheduling.session_waitlist
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION scheduling.enforce_waitlist_positions();
--> statement-breakpoint

-- Capacity policies: a change touches every facility first (see GUARD ROWS); a row can
-- be changed, never removed (a missing row would let any capacity through); inserting
-- one is checked like a change.
CREATE OR REPLACE FUNCTION scheduling.validate_capacity_policy_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_ids uuid[];
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.session_type = OLD.session_type
     AND NEW.min_capacity = OLD.min_capacity AND NEW.max_capacity = OLD.max_capacity THEN
    RETURN NEW;
  END IF;
  PERFORM 1 FROM scheduling.facilities ORDER BY id FOR NO KEY UPDATE;
  UPDATE scheduling.facilities SET updated_at = updated_at;
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

CREATE TRIGGER trigger_validate_capacity_policy_insert
  BEFORE INSERT ON scheduling.capacity_policies
  FOR EACH ROW EXECUTE FUNCTION scheduling.validate_capacity_policy_change();
--> statement-breakpoint

CREATE FUNCTION scheduling.refuse_policy_removal() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'SC002',
    MESSAGE = 'Capacity policies cannot be removed: change their limits instead',
    DETAIL = json_build_object('reason', 'policy_removed')::text;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_refuse_policy_delete
  BEFORE DELETE ON scheduling.capacity_policies
  FOR EACH ROW EXECUTE FUNCTION scheduling.refuse_policy_removal();
--> statement-breakpoint

CREATE TRIGGER trigger_refuse_policy_truncate
  BEFORE TRUNCATE ON scheduling.capacity_policies
  FOR EACH STATEMENT EXECUTE FUNCTION scheduling.refuse_policy_removal();
--> statement-breakpoint

-- A new facility touches the policy rows and its location (see GUARD ROWS).
CREATE FUNCTION scheduling.facility_added() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
BEGIN
  PERFORM 1 FROM scheduling.capacity_policies ORDER BY session_type FOR NO KEY UPDATE;
  UPDATE scheduling.capacity_policies SET updated_at = updated_at;
  UPDATE scheduling.locations SET updated_at = updated_at WHERE id = NEW.location_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_facility_added
  AFTER INSERT ON scheduling.facilities
  FOR EACH ROW EXECUTE FUNCTION scheduling.facility_added();
--> statement-breakpoint

-- A facility's limits lowered: how many sessions may run in it at once, and its size
-- (a session's capacity may not exceed it unless an override recorded the conflict).
CREATE FUNCTION scheduling.facility_limits_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_ids uuid[];
  v_codes text[];
  v_session record;
BEGIN
  IF NEW.max_concurrent_sessions < OLD.max_concurrent_sessions THEN
    PERFORM scheduling.enforce_lowered_limit('facility', NEW.id,
      format('Lowering facility %s to %s sessions at once', NEW.code, NEW.max_concurrent_sessions));
  END IF;
  IF NEW.capacity IS NOT NULL AND (OLD.capacity IS NULL OR NEW.capacity < OLD.capacity) THEN
    SELECT array_agg(s.id ORDER BY s.start_time), array_agg(s.session_id::text ORDER BY s.start_time)
      INTO v_ids, v_codes
    FROM scheduling.sessions s
    WHERE s.facility_id = NEW.id AND s.status IN ('scheduled', 'in_progress', 'postponed') AND s.capacity > NEW.capacity
      AND NOT scheduling.overload_accepted('capacity_exceeded', s.id);
    IF v_ids IS NOT NULL THEN
      IF NOT scheduling.conflict_override_enabled() THEN
        RAISE EXCEPTION USING ERRCODE = 'SC001',
          MESSAGE = format('Facility %s cannot hold %s places: %s need more', NEW.code, NEW.capacity, array_to_string(v_codes, ', ')),
          DETAIL = json_build_object('facility_id', NEW.id, 'facility_capacity', NEW.capacity,
                                     'conflicting_session_ids', v_ids, 'conflicting_session_codes', v_codes,
                                     'reason', 'facility_capacity')::text;
      END IF;
      FOR v_session IN SELECT * FROM scheduling.sessions WHERE id = ANY (v_ids) ORDER BY id LOOP
        PERFORM scheduling.record_conflict('capacity_exceeded', v_session.id, NULL, NULL, NULL, NEW.id,
          format('Capacity %s exceeds the facility''s %s places', v_session.capacity, NEW.capacity),
          v_session.start_time, v_session.end_time, 'medium', true);
      END LOOP;
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_facility_limits_changed
  AFTER UPDATE OF max_concurrent_sessions, capacity ON scheduling.facilities
  FOR EACH ROW EXECUTE FUNCTION scheduling.facility_limits_changed();
--> statement-breakpoint

CREATE FUNCTION scheduling.instructor_limit_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
BEGIN
  PERFORM scheduling.enforce_lowered_limit('instructor', NEW.id,
    format('Lowering %s %s to %s sessions at once', NEW.first_name, NEW.last_name, NEW.max_concurrent_sessions));
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_instructor_limit_changed
  AFTER UPDATE OF max_concurrent_sessions ON scheduling.instructors
  FOR EACH ROW WHEN (NEW.max_concurrent_sessions < OLD.max_concurrent_sessions)
  EXECUTE FUNCTION scheduling.instructor_limit_changed();
--> statement-breakpoint

-- Any change to availability can lower the limit of sessions it covered (a slot's
-- max_concurrent_sessions, deactivated, deleted, moved, narrowed, a temporary schedule
-- or an exception replacing the regular one): touch the instructor, then re-check.
CREATE FUNCTION scheduling.availability_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_instructor uuid;
BEGIN
  FOR v_instructor IN
    SELECT DISTINCT x FROM unnest(ARRAY[
      CASE WHEN TG_OP <> 'DELETE' THEN NEW.instructor_id END,
      CASE WHEN TG_OP <> 'INSERT' THEN OLD.instructor_id END]) AS x
    WHERE x IS NOT NULL ORDER BY x
  LOOP
    UPDATE scheduling.instructors SET updated_at = updated_at WHERE id = v_instructor;
    PERFORM scheduling.enforce_lowered_limit('instructor', v_instructor, 'This availability change');
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_availability_changed
  AFTER INSERT OR UPDATE OR DELETE ON scheduling.instructor_availability
  FOR EACH ROW EXECUTE FUNCTION scheduling.availability_changed();
--> statement-breakpoint

CREATE FUNCTION scheduling.availability_truncated() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_instructor uuid;
BEGIN
  FOR v_instructor IN SELECT id FROM scheduling.instructors ORDER BY id LOOP
    UPDATE scheduling.instructors SET updated_at = updated_at WHERE id = v_instructor;
    PERFORM scheduling.enforce_lowered_limit('instructor', v_instructor, 'Removing all availability');
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_availability_truncated
  AFTER TRUNCATE ON scheduling.instructor_availability
  FOR EACH STATEMENT EXECUTE FUNCTION scheduling.availability_truncated();
--> statement-breakpoint

-- A location's time zone moves its sessions' local times, so the availability that
-- covers them (and their limits) can change.
CREATE FUNCTION scheduling.location_zone_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_instructor uuid;
BEGIN
  PERFORM 1 FROM scheduling.instructors ORDER BY id FOR NO KEY UPDATE;
  UPDATE scheduling.instructors SET updated_at = updated_at;
  PERFORM 1 FROM scheduling.facilities ORDER BY id FOR NO KEY UPDATE;
  UPDATE scheduling.facilities SET updated_at = updated_at;
  FOR v_instructor IN
    SELECT DISTINCT instructor_id FROM scheduling.sessions
    WHERE location_id = NEW.id AND instructor_id IS NOT NULL AND status IN ('scheduled', 'in_progress')
    ORDER BY instructor_id
  LOOP
    PERFORM scheduling.enforce_lowered_limit('instructor', v_instructor,
      format('Moving location %s to time zone %s', NEW.code, NEW.timezone));
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_location_zone_changed
  AFTER UPDATE OF timezone ON scheduling.locations
  FOR EACH ROW WHEN (NEW.timezone IS DISTINCT FROM OLD.timezone)
  EXECUTE FUNCTION scheduling.location_zone_changed();
--> statement-breakpoint

-- Availability changes used to touch the instructor only for active rows; every
-- change does now (availability_changed), so this keeps only the overlap rule.
CREATE OR REPLACE FUNCTION scheduling.validate_instructor_availability() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_clash uuid;
BEGIN
  UPDATE scheduling.instructors SET updated_at = updated_at WHERE id = NEW.instructor_id;
  IF NOT coalesce(NEW.is_active, true) THEN
    RETURN NEW;
  END IF;
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

-- covering_availability as in 0003, with timezone_abbreviations pinned: `AT TIME ZONE`
-- looks a zone name up among the session's abbreviations first, and a writer may
-- choose the set (under 'Australia', a location in 'EST' is 10 hours ahead), which
-- would move sessions in or out of the availability that decides their limit.
CREATE OR REPLACE FUNCTION scheduling.covering_availability(
  p_instructor uuid, p_location uuid, p_start timestamptz, p_end timestamptz
) RETURNS SETOF scheduling.instructor_availability
LANGUAGE plpgsql STABLE SET search_path = scheduling, pg_temp SET timezone_abbreviations = 'Default' AS $$
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

-- current_bookings checked again at commit, against the confirmed bookings: the guard
-- above trusts writes from inside a trigger (the booking triggers' ±1), and any role
-- may create a trigger of its own on a temporary table. A deferred check cannot be
-- skipped; it reads the session's latest row (the event's NEW may be older).
CREATE FUNCTION scheduling.check_booking_counter() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_session record;
  v_actual integer;
BEGIN
  SELECT id, session_id, current_bookings INTO v_session FROM scheduling.sessions WHERE id = NEW.id;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT count(*) INTO v_actual FROM scheduling.session_bookings
  WHERE session_id = NEW.id AND booking_status = 'confirmed';
  IF v_session.current_bookings <> v_actual THEN
    RAISE EXCEPTION USING ERRCODE = 'SC001',
      MESSAGE = format('current_bookings of session %s is kept by the booking triggers: it is %s, not %s',
                       v_session.session_id, v_actual, v_session.current_bookings),
      DETAIL = json_build_object('session_id', NEW.id, 'current_bookings', v_session.current_bookings,
                                 'confirmed', v_actual, 'reason', 'derived_counter')::text;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE CONSTRAINT TRIGGER trigger_check_booking_counter
  AFTER UPDATE OF current_bookings ON scheduling.sessions
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION scheduling.check_booking_counter();
--> statement-breakpoint

-- TRUNCATE is not MVCC-safe: it removes rows committed after the transaction's
-- snapshot too, and a REPEATABLE READ or SERIALIZABLE transaction's repair (reset the
-- counters, re-check the instructors) would run on that older snapshot and miss what it
-- cannot see. Under READ COMMITTED the repair runs after TRUNCATE's exclusive lock,
-- with a fresh snapshot.
CREATE FUNCTION scheduling.refuse_truncate_above_read_committed() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
BEGIN
  IF current_setting('transaction_isolation') <> 'read committed' THEN
    RAISE EXCEPTION USING ERRCODE = TG_ARGV[0],
      MESSAGE = format('TRUNCATE of %I runs only at READ COMMITTED: at %s it would repair on a snapshot older than what it removes; use DELETE',
                       TG_TABLE_NAME, current_setting('transaction_isolation')),
      DETAIL = json_build_object('table', TG_TABLE_NAME, 'reason', 'truncate_isolation')::text;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_bookings_truncate_isolation
  BEFORE TRUNCATE ON scheduling.session_bookings
  FOR EACH STATEMENT EXECUTE FUNCTION scheduling.refuse_truncate_above_read_committed('SC001');
--> statement-breakpoint

CREATE TRIGGER trigger_availability_truncate_isolation
  BEFORE TRUNCATE ON scheduling.instructor_availability
  FOR EACH STATEMENT EXECUTE FUNCTION scheduling.refuse_truncate_above_read_committed('SC003');
--> statement-breakpoint

-- A session is held in a facility of its own location. (Otherwise a new room at another
-- site would hold sessions whose limits depend on this location's time zone, and a
-- change of that zone would not meet the guard rows those sessions touched.)
CREATE FUNCTION scheduling.enforce_session_facility_location() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_facility_location uuid;
BEGIN
  SELECT location_id INTO v_facility_location FROM scheduling.facilities WHERE id = NEW.facility_id;
  IF FOUND AND v_facility_location IS DISTINCT FROM NEW.location_id THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_session_facility_location',
      MESSAGE = 'A session is held in a facility of its own location',
      DETAIL = json_build_object('session_id', NEW.id, 'facility_id', NEW.facility_id, 'location_id', NEW.location_id,
                                 'facility_location_id', v_facility_location)::text;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_session_facility_location
  BEFORE INSERT OR UPDATE OF facility_id, location_id ON scheduling.sessions
  FOR EACH ROW EXECUTE FUNCTION scheduling.enforce_session_facility_location();
--> statement-breakpoint

CREATE FUNCTION scheduling.enforce_facility_keeps_location() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM scheduling.sessions WHERE facility_id = NEW.id AND location_id <> NEW.location_id) THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_session_facility_location',
      MESSAGE = format('Facility %s holds sessions at its location: it cannot move to another', NEW.code),
      DETAIL = json_build_object('facility_id', NEW.id, 'location_id', NEW.location_id)::text;
  END IF;
  -- Moving a room to a site is like adding one there (see facility_added).
  UPDATE scheduling.locations SET updated_at = updated_at WHERE id = NEW.location_id;
  RETURN NULL;
END
$$;
--> statement-breakpoint

CREATE TRIGGER trigger_facility_keeps_location
  AFTER UPDATE OF location_id ON scheduling.facilities
  FOR EACH ROW WHEN (NEW.location_id IS DISTINCT FROM OLD.location_id)
  EXECUTE FUNCTION scheduling.enforce_facility_keeps_location();

