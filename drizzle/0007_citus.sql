-- Running on Citus (schema-based sharding). Hand-written; see docs/scale-out.md.
--
-- 1. Human-readable codes (SES-2026-0042, ...) wherever the row is built. A column
-- default is evaluated on the node that builds the row: the coordinator for
-- INSERT ... VALUES, the worker for rows built there (a trigger's insert, an
-- INSERT ... SELECT pushed down). Citus gives each worker's copy of a bigint sequence
-- its own range, starting at (group << 48) + 1, so the numbers stay unique; but it also
-- rewrites on the workers any column default that calls nextval into the bare
-- nextval(...), so a worker stored the raw number as the code. The defaults now call
-- next_code, which calls nextval itself, so Citus leaves them as written; and a
-- number from a worker's range is written as its group and its place in that range
-- (SES-2026-1-0042). On one server every number is in group 0 and the codes are
-- exactly as before.
CREATE OR REPLACE FUNCTION scheduling.code_number(p_value bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
  SELECT CASE WHEN p_value >> 48 = 0 THEN to_char(p_value, 'FM999999999990000')
              ELSE (p_value >> 48)::text || '-' || to_char(p_value & 281474976710655, 'FM999999999990000') END
$$;
--> statement-breakpoint
-- p_sequence: a sequence of this schema, by name (resolved through the pinned search_path).
CREATE OR REPLACE FUNCTION scheduling.next_code(p_prefix text, p_sequence text) RETURNS text
LANGUAGE sql VOLATILE SET search_path = scheduling, pg_temp AS $$
  SELECT p_prefix || '-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || scheduling.code_number(nextval(p_sequence::regclass))
$$;
--> statement-breakpoint
ALTER TABLE "scheduling"."parents" ALTER COLUMN "parent_id" SET DEFAULT scheduling.next_code('PAR', 'parent_code_seq');
--> statement-breakpoint
ALTER TABLE "scheduling"."students" ALTER COLUMN "student_id" SET DEFAULT scheduling.next_code('STU', 'student_code_seq');
--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ALTER COLUMN "session_id" SET DEFAULT scheduling.next_code('SES', 'session_code_seq');
--> statement-breakpoint
ALTER TABLE "scheduling"."session_bookings" ALTER COLUMN "booking_id" SET DEFAULT scheduling.next_code('BKG', 'booking_code_seq');
--> statement-breakpoint
ALTER TABLE "scheduling"."schedule_conflicts" ALTER COLUMN "conflict_id" SET DEFAULT scheduling.next_code('CON', 'conflict_code_seq');
--> statement-breakpoint
ALTER TABLE "scheduling"."session_waitlist" ALTER COLUMN "waitlist_id" SET DEFAULT scheduling.next_code('WLT', 'waitlist_code_seq');
--> statement-breakpoint

-- 2. As in 0006, but the session is handed to enforce_concurrency_limit as a value of
-- the table's row type. On Citus the trigger runs on the worker against the shard,
-- where NEW has the shard's row type (sessions_102022, say) and no function takes it;
-- the row constructor of its columns converts to scheduling.sessions on every node.
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
    PERFORM scheduling.enforce_concurrency_limit(ROW(NEW.*)::scheduling.sessions, 'instructor');
  END IF;

  IF v_is_insert OR v_reactivated OR v_moved OR v_new_facility THEN
    PERFORM scheduling.enforce_concurrency_limit(ROW(NEW.*)::scheduling.sessions, 'facility');
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

-- 3. The checks deferred to commit, run now, on the node that holds the academy's
-- rows. On Citus they fire on the worker at commit, where a refusal reaches the
-- client as XX000 "could not commit transaction for shard ..." (its SQLSTATE lost),
-- and SET CONSTRAINTS sent to the coordinator does not reach the shards, whose
-- triggers carry the shard's id (trigger_booking_not_waiting_102023). The scheduler
-- calls this through a statement routed to the academy's worker before it commits.
-- On one server it finds the triggers by their own names.
CREATE OR REPLACE FUNCTION scheduling.check_deferred_now() RETURNS boolean
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_names text;
BEGIN
  SELECT string_agg(format('%I.%I', current_schema(), t.tgname), ', ') INTO v_names
  FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
  WHERE c.relnamespace = (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = current_schema())
    AND t.tgdeferrable
    AND t.tgname ~ '^trigger_(booking_not_waiting|waiting_not_booked|waitlist_positions|check_booking_counter)(_[0-9]+)?$';
  IF v_names IS NOT NULL THEN
    EXECUTE 'SET CONSTRAINTS ' || v_names || ' IMMEDIATE';
    EXECUTE 'SET CONSTRAINTS ' || v_names || ' DEFERRED';
  END IF;
  RETURN true;
END
$$;
--> statement-breakpoint

-- 4. As in 0006, with the constraint named in DETAIL as well: Citus passes on a worker's
-- SQLSTATE, message and DETAIL, but not the CONSTRAINT field of a RAISE.
CREATE OR REPLACE FUNCTION scheduling.enforce_session_facility_location() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_facility_location uuid;
BEGIN
  SELECT location_id INTO v_facility_location FROM scheduling.facilities WHERE id = NEW.facility_id;
  IF FOUND AND v_facility_location IS DISTINCT FROM NEW.location_id THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_session_facility_location',
      MESSAGE = 'A session is held in a facility of its own location',
      DETAIL = json_build_object('constraint', 'chk_session_facility_location', 'session_id', NEW.id, 'facility_id', NEW.facility_id, 'location_id', NEW.location_id,
                                 'facility_location_id', v_facility_location)::text;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint

CREATE OR REPLACE FUNCTION scheduling.enforce_facility_keeps_location() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM scheduling.sessions WHERE facility_id = NEW.id AND location_id <> NEW.location_id) THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_session_facility_location',
      MESSAGE = format('Facility %s holds sessions at its location: it cannot move to another', NEW.code),
      DETAIL = json_build_object('constraint', 'chk_session_facility_location', 'facility_id', NEW.id, 'location_id', NEW.location_id)::text;
  END IF;
  -- Moving a room to a site is like adding one there (see facility_added).
  UPDATE scheduling.locations SET updated_at = updated_at WHERE id = NEW.location_id;
  RETURN NULL;
END
$$;
