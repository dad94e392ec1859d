-- Custom migration: cheaper conflict checks on every session insert and move.
--
-- enforce_concurrency_limit as in 0003 (same signature, pinned search_path, SQLSTATEs
-- and DETAIL JSON: the TypeScript side must not notice), with two changes to its two
-- overlap queries.
--
-- An overlapping session starts after start - 24h and, lasting at most 24 hours
-- (chk_session_max_duration), ends before end + 24h. That upper bound on end_time
-- adds nothing logically, but with all four bounds the (start_time, end_time) index
-- hands over only the sessions that overlap. Without it the planner walked every
-- session that starts in the 24 hours before (1,400 in a 50-room academy, each read
-- from the table to test its room), because the start_time index reads the table in
-- order and looked cheaper than picking the 28 rows of one room.
--
-- The best plan of these queries does not depend on the values: an index range over
-- the time window. Left to choose, Postgres planned them again on every call (its
-- estimate for a range of unknown values is too rough for the cached plan to look as
-- cheap), which cost more than running them: plan once per connection instead.
CREATE OR REPLACE FUNCTION scheduling.enforce_concurrency_limit(p_session scheduling.sessions, p_kind text)
RETURNS void
LANGUAGE plpgsql SET search_path = scheduling, pg_temp SET plan_cache_mode = force_generic_plan AS $$
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
      -- the four bounds of the time window: see the comment above
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
      -- the four bounds of the time window: see the comment above
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
