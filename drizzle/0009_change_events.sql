-- Change events: an outbox and an audit trail in one. Hand-written; see
-- docs/change-events.md.
--
-- Every change to a session, booking (attendance included), waitlist entry,
-- availability row, conflict or session resource writes one row of change_events in
-- the same transaction, from a trigger, so the host's own SQL is recorded as the
-- scheduler's calls are. Columns that only follow from other rows (a session's booking
-- counter, a waitlist entry's position, the claim marks of notifications, updated_at)
-- are not changes of their own: an UPDATE that touches nothing else writes no event.
--
-- Order: an entity's events are numbered 1, 2, 3... (entity_version). Two transactions
-- that change the same row are serialized by its row lock, and the trigger reads the
-- last number after the lock, so the numbers follow commit order per entity. (Not a
-- sequence: on Citus each worker draws from its own range, and an academy moved to
-- another worker would draw lower numbers after the move.)
--
-- Delivery: each consumer named in event_consumers gets a row of event_deliveries per
-- event, written with the event; claiming leases it, acknowledging deletes it, a
-- failure puts it back with a later available_at, and after max_attempts it is 'dead'.
-- No foreign keys on event_deliveries (each costs a query per row on the booking path):
-- only the trigger below and the scheduler's events functions write it, removing a
-- consumer deletes its rows, and the retention job keeps every event a row names.
--
-- Cost on the write path: an UPDATE that changes only derived columns is filtered out by
-- the trigger's WHEN clause (evaluated without calling PL/pgSQL), so a booking's bump of
-- its session's counter costs one comparison.
--
-- New SQLSTATE (class SC, see 0001_triggers.sql):
--   SC011 change events are append-only: UPDATE, DELETE (but the retention job's) and TRUNCATE refused
CREATE TABLE "scheduling"."change_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" varchar(60) NOT NULL,
	"type_version" smallint DEFAULT 1 NOT NULL,
	"entity_type" varchar(30) NOT NULL,
	"entity_id" uuid NOT NULL,
	"entity_code" varchar(40),
	"entity_version" integer NOT NULL,
	"session_id" uuid,
	"actor_id" uuid,
	"actor_kind" varchar(20) DEFAULT 'system' NOT NULL,
	"actor_ref" uuid,
	"db_role" text DEFAULT current_user NOT NULL,
	"operation" varchar(60),
	"changes" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "uk_change_event_entity_version" UNIQUE("entity_id","entity_version"),
	CONSTRAINT "chk_change_event_entity_type" CHECK ("entity_type" IN ('session', 'booking', 'waitlist_entry', 'availability', 'conflict', 'resource')),
	CONSTRAINT "chk_change_event_entity_version" CHECK ("entity_version" > 0),
	CONSTRAINT "chk_change_event_actor_kind" CHECK ("actor_kind" IN ('admin', 'instructor', 'parent', 'student', 'system', 'user'))
);
--> statement-breakpoint
CREATE INDEX "idx_change_events_occurred" ON "scheduling"."change_events" USING btree ("occurred_at","id");
--> statement-breakpoint
CREATE INDEX "idx_change_events_actor" ON "scheduling"."change_events" USING btree ("actor_id","occurred_at") WHERE "actor_id" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "idx_change_events_acting_as" ON "scheduling"."change_events" USING btree ("actor_ref","occurred_at") WHERE "actor_ref" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "idx_change_events_session" ON "scheduling"."change_events" USING btree ("session_id","occurred_at") WHERE "session_id" IS NOT NULL;
--> statement-breakpoint
CREATE TABLE "scheduling"."event_consumers" (
	"name" varchar(100) PRIMARY KEY NOT NULL,
	"max_attempts" integer DEFAULT 10 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chk_event_consumer_name" CHECK ("name" ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$'),
	CONSTRAINT "chk_event_consumer_attempts" CHECK ("max_attempts" BETWEEN 1 AND 1000)
);
--> statement-breakpoint
CREATE TABLE "scheduling"."event_deliveries" (
	"consumer" varchar(100) NOT NULL,
	"entity_id" uuid NOT NULL,
	"entity_version" integer NOT NULL,
	"event_id" uuid NOT NULL,
	"state" varchar(10) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_id" uuid,
	"last_error" text,
	CONSTRAINT "event_deliveries_pkey" PRIMARY KEY("consumer","entity_id","entity_version"),
	CONSTRAINT "chk_event_delivery_state" CHECK ("state" IN ('pending', 'leased', 'dead')),
	CONSTRAINT "chk_event_delivery_lease" CHECK (("state" = 'leased') = ("lease_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX "idx_event_deliveries_due" ON "scheduling"."event_deliveries" USING btree ("consumer","available_at") WHERE "state" <> 'dead';
--> statement-breakpoint

-- The event's type: what happened to the entity, from what changed. The first rule
-- that matches wins; every changed column is in the event's changes either way.
-- No SET search_path: it reads no table and calls only pg_catalog's functions and
-- operators (pg_catalog is searched first whatever the path), and it runs for every
-- event, where a SET clause costs a settings save and restore.
CREATE FUNCTION scheduling.change_event_type(p_entity text, p_op text, p_old jsonb, p_new jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  v_status_key text := CASE p_entity WHEN 'booking' THEN 'booking_status' WHEN 'resource' THEN 'allocation_status' ELSE 'status' END;
  v_old_status text := p_old ->> v_status_key;
  v_new_status text := p_new ->> v_status_key;
  v_prefix text := CASE p_entity WHEN 'waitlist_entry' THEN 'waitlist' ELSE p_entity END;
BEGIN
  IF p_op = 'DELETE' THEN
    RETURN v_prefix || '.deleted';
  END IF;
  IF p_op = 'INSERT' THEN
    RETURN CASE p_entity
      WHEN 'session' THEN 'session.scheduled'
      WHEN 'booking' THEN CASE v_new_status WHEN 'confirmed' THEN 'booking.confirmed' WHEN 'pending' THEN 'booking.pending' ELSE 'booking.created' END
      WHEN 'waitlist_entry' THEN 'waitlist.joined'
      WHEN 'availability' THEN 'availability.added'
      WHEN 'conflict' THEN 'conflict.detected'
      WHEN 'resource' THEN 'resource.requested'
    END;
  END IF;
  -- UPDATE.
  IF p_entity = 'booking' AND p_old ->> 'session_id' IS DISTINCT FROM p_new ->> 'session_id' THEN
    RETURN 'booking.moved';
  END IF;
  IF v_old_status IS DISTINCT FROM v_new_status THEN
    RETURN CASE p_entity
      WHEN 'session' THEN CASE v_new_status
        WHEN 'cancelled' THEN 'session.cancelled' WHEN 'postponed' THEN 'session.postponed'
        WHEN 'in_progress' THEN 'session.started' WHEN 'completed' THEN 'session.completed'
        ELSE 'session.reinstated' END
      WHEN 'booking' THEN 'booking.' || v_new_status
      WHEN 'waitlist_entry' THEN CASE v_new_status
        WHEN 'offered' THEN 'waitlist.offered'
        WHEN 'expired' THEN CASE v_old_status WHEN 'offered' THEN 'waitlist.offer_expired' ELSE 'waitlist.expired' END
        WHEN 'accepted' THEN 'waitlist.promoted' WHEN 'declined' THEN 'waitlist.declined'
        WHEN 'cancelled' THEN 'waitlist.left' WHEN 'notified' THEN 'waitlist.notified'
        ELSE 'waitlist.requeued' END
      WHEN 'conflict' THEN CASE v_new_status
        WHEN 'acknowledged' THEN 'conflict.acknowledged' WHEN 'resolved' THEN 'conflict.resolved'
        WHEN 'ignored' THEN 'conflict.ignored' ELSE 'conflict.reopened' END
      WHEN 'resource' THEN 'resource.' || v_new_status
    END;
  END IF;
  IF p_entity = 'session' THEN
    IF p_old ->> 'start_time' IS DISTINCT FROM p_new ->> 'start_time' OR p_old ->> 'end_time' IS DISTINCT FROM p_new ->> 'end_time' THEN
      RETURN 'session.rescheduled';
    END IF;
    IF p_old ->> 'location_id' IS DISTINCT FROM p_new ->> 'location_id' OR p_old ->> 'facility_id' IS DISTINCT FROM p_new ->> 'facility_id' THEN
      RETURN 'session.relocated';
    END IF;
    IF p_old ->> 'instructor_id' IS DISTINCT FROM p_new ->> 'instructor_id' THEN
      RETURN 'session.instructor_changed';
    END IF;
  END IF;
  IF p_entity = 'booking' AND (p_old ->> 'attendance_status' IS DISTINCT FROM p_new ->> 'attendance_status'
      OR p_old ->> 'checked_in_at' IS DISTINCT FROM p_new ->> 'checked_in_at'
      OR p_old ->> 'checked_out_at' IS DISTINCT FROM p_new ->> 'checked_out_at') THEN
    RETURN 'attendance.recorded';
  END IF;
  RETURN CASE p_entity WHEN 'availability' THEN 'availability.changed' ELSE v_prefix || '.updated' END;
END
$$;
--> statement-breakpoint

-- Writes the event of one row change: p_old and p_new are the row before and after
-- (NULL for an insert's before and a delete's after), as jsonb.
-- p_ignored: the derived columns of the table, left out of an update's changes.
CREATE FUNCTION scheduling.write_change_event(p_entity text, p_op text, p_old jsonb, p_new jsonb, p_ignored text[]) RETURNS void
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_row jsonb := coalesce(p_new, p_old);
  v_changes jsonb;
  v_id uuid := (v_row ->> 'id')::uuid;
  v_version integer;
  v_event uuid := gen_random_uuid();
  v_code text;
  v_session uuid;
  v_consumer text;
  -- `<kind>:<id>` of the scheduler's actor (scheduling.actor): admin:, instructor:<instructor id>, parent:<parent id>, ...
  v_actor text := nullif(current_setting('scheduling.actor', true), '');
  v_actor_kind text;
  v_actor_ref uuid;
  -- acting_user(), inline: a function with a SET clause costs a settings save and restore per call.
  v_user uuid := (nullif(current_setting('scheduling.actor_id', true), ''))::uuid;
BEGIN
  IF v_actor IS NOT NULL AND split_part(v_actor, ':', 1) IN ('admin', 'instructor', 'parent', 'student', 'system') THEN
    v_actor_kind := split_part(v_actor, ':', 1);
    -- A malformed id (set by hand) is not recorded rather than failing the write.
    v_actor_ref := CASE WHEN split_part(v_actor, ':', 2) ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
                        THEN split_part(v_actor, ':', 2)::uuid END;
  ELSE
    -- The host's own SQL: a user when it set scheduling.actor_id, else the system.
    v_actor_kind := CASE WHEN v_user IS NOT NULL THEN 'user' ELSE 'system' END;
  END IF;
  -- Worked out here, not inside the INSERT: Citus evaluates the expressions of an
  -- INSERT's VALUES before routing it, every branch of a CASE included (a session's
  -- session_id is its code, not a uuid).
  IF p_entity = 'session' THEN
    v_session := v_id;
  ELSIF p_entity <> 'availability' THEN
    v_session := (v_row ->> 'session_id')::uuid;
  END IF;
  v_code := CASE p_entity WHEN 'session' THEN v_row ->> 'session_id' WHEN 'booking' THEN v_row ->> 'booking_id'
                          WHEN 'waitlist_entry' THEN v_row ->> 'waitlist_id' WHEN 'conflict' THEN v_row ->> 'conflict_id' END;
  IF p_op = 'UPDATE' THEN
    SELECT jsonb_object_agg(n.key, jsonb_build_object('old', o.value, 'new', n.value)) INTO v_changes
    FROM jsonb_each(p_new) n JOIN jsonb_each(p_old) o ON o.key = n.key
    WHERE n.value IS DISTINCT FROM o.value AND n.key <> ALL (p_ignored);
    IF v_changes IS NULL THEN
      RETURN;
    END IF;
  ELSE
    SELECT jsonb_object_agg(e.key, CASE WHEN p_op = 'INSERT' THEN jsonb_build_object('old', NULL, 'new', e.value)
                                        ELSE jsonb_build_object('old', e.value, 'new', NULL) END) INTO v_changes
    FROM jsonb_each(v_row) e
    WHERE e.value <> 'null'::jsonb;
  END IF;
  SELECT coalesce(max(e.entity_version), 0) + 1 INTO v_version FROM change_events e WHERE e.entity_id = v_id;
  INSERT INTO change_events (id, type, entity_type, entity_id, entity_code, entity_version, session_id, actor_id, actor_kind, actor_ref, operation, changes)
  VALUES (
    v_event,
    change_event_type(p_entity, p_op, p_old, p_new),
    p_entity,
    v_id,
    v_code,
    v_version,
    v_session,
    v_user,
    v_actor_kind,
    v_actor_ref,
    nullif(current_setting('scheduling.operation', true), ''),
    coalesce(v_changes, '{}'::jsonb)
  );
  -- One INSERT ... VALUES per consumer, not one INSERT ... SELECT: in a trigger on a
  -- Citus worker the latter failed to deparse (42601 "syntax error at or near NOT").
  FOR v_consumer IN SELECT c.name FROM event_consumers c LOOP
    INSERT INTO event_deliveries (consumer, entity_id, entity_version, event_id) VALUES (v_consumer, v_id, v_version, v_event);
  END LOOP;
END
$$;
--> statement-breakpoint

-- AFTER each row change of the table whose entity type is TG_ARGV[0] (an argument, not
-- TG_TABLE_NAME: on Citus the trigger runs on the shard, whose name has a suffix);
-- TG_ARGV[1], on the UPDATE trigger: the table's derived columns, as a text[] literal.
CREATE FUNCTION scheduling.record_change_event() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
BEGIN
  PERFORM write_change_event(TG_ARGV[0], TG_OP,
    CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
    CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END,
    coalesce(TG_ARGV[1], '{}')::text[]);
  RETURN NULL;
END
$$;
--> statement-breakpoint

-- TRUNCATE fires no row triggers: before it empties a recorded table, one deleted event
-- per row it removes (also for a table emptied by TRUNCATE ... CASCADE).
CREATE FUNCTION scheduling.record_truncate_events() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
DECLARE
  v_row jsonb;
BEGIN
  FOR v_row IN EXECUTE format('SELECT to_jsonb(t) FROM %I.%I t', TG_TABLE_SCHEMA, TG_TABLE_NAME) LOOP
    PERFORM write_change_event(TG_ARGV[0], 'DELETE', v_row, NULL, '{}');
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER trigger_change_event AFTER INSERT OR DELETE ON scheduling.sessions
  FOR EACH ROW EXECUTE FUNCTION scheduling.record_change_event('session');
--> statement-breakpoint
CREATE TRIGGER trigger_change_event_update AFTER UPDATE ON scheduling.sessions
  FOR EACH ROW WHEN ((to_jsonb(OLD) - '{current_bookings,available_spots,calendar_sequence,updated_at,updated_by}'::text[]) IS DISTINCT FROM (to_jsonb(NEW) - '{current_bookings,available_spots,calendar_sequence,updated_at,updated_by}'::text[]))
  EXECUTE FUNCTION scheduling.record_change_event('session', '{current_bookings,available_spots,calendar_sequence,updated_at,updated_by}');
--> statement-breakpoint
CREATE TRIGGER trigger_truncate_events BEFORE TRUNCATE ON scheduling.sessions
  FOR EACH STATEMENT EXECUTE FUNCTION scheduling.record_truncate_events('session');
--> statement-breakpoint
CREATE TRIGGER trigger_change_event AFTER INSERT OR DELETE ON scheduling.session_bookings
  FOR EACH ROW EXECUTE FUNCTION scheduling.record_change_event('booking');
--> statement-breakpoint
CREATE TRIGGER trigger_change_event_update AFTER UPDATE ON scheduling.session_bookings
  FOR EACH ROW WHEN ((to_jsonb(OLD) - '{updated_at}'::text[]) IS DISTINCT FROM (to_jsonb(NEW) - '{updated_at}'::text[]))
  EXECUTE FUNCTION scheduling.record_change_event('booking', '{updated_at}');
--> statement-breakpoint
CREATE TRIGGER trigger_truncate_events BEFORE TRUNCATE ON scheduling.session_bookings
  FOR EACH STATEMENT EXECUTE FUNCTION scheduling.record_truncate_events('booking');
--> statement-breakpoint
CREATE TRIGGER trigger_change_event AFTER INSERT OR DELETE ON scheduling.session_waitlist
  FOR EACH ROW EXECUTE FUNCTION scheduling.record_change_event('waitlist_entry');
--> statement-breakpoint
CREATE TRIGGER trigger_change_event_update AFTER UPDATE ON scheduling.session_waitlist
  FOR EACH ROW WHEN ((to_jsonb(OLD) - '{position,notified_at,notification_sent,updated_at}'::text[]) IS DISTINCT FROM (to_jsonb(NEW) - '{position,notified_at,notification_sent,updated_at}'::text[]))
  EXECUTE FUNCTION scheduling.record_change_event('waitlist_entry', '{position,notified_at,notification_sent,updated_at}');
--> statement-breakpoint
CREATE TRIGGER trigger_truncate_events BEFORE TRUNCATE ON scheduling.session_waitlist
  FOR EACH STATEMENT EXECUTE FUNCTION scheduling.record_truncate_events('waitlist_entry');
--> statement-breakpoint
CREATE TRIGGER trigger_change_event AFTER INSERT OR DELETE ON scheduling.instructor_availability
  FOR EACH ROW EXECUTE FUNCTION scheduling.record_change_event('availability');
--> statement-breakpoint
CREATE TRIGGER trigger_change_event_update AFTER UPDATE ON scheduling.instructor_availability
  FOR EACH ROW WHEN ((to_jsonb(OLD) - '{updated_at}'::text[]) IS DISTINCT FROM (to_jsonb(NEW) - '{updated_at}'::text[]))
  EXECUTE FUNCTION scheduling.record_change_event('availability', '{updated_at}');
--> statement-breakpoint
CREATE TRIGGER trigger_truncate_events BEFORE TRUNCATE ON scheduling.instructor_availability
  FOR EACH STATEMENT EXECUTE FUNCTION scheduling.record_truncate_events('availability');
--> statement-breakpoint
CREATE TRIGGER trigger_change_event AFTER INSERT OR DELETE ON scheduling.schedule_conflicts
  FOR EACH ROW EXECUTE FUNCTION scheduling.record_change_event('conflict');
--> statement-breakpoint
CREATE TRIGGER trigger_change_event_update AFTER UPDATE ON scheduling.schedule_conflicts
  FOR EACH ROW WHEN ((to_jsonb(OLD) - '{updated_at}'::text[]) IS DISTINCT FROM (to_jsonb(NEW) - '{updated_at}'::text[]))
  EXECUTE FUNCTION scheduling.record_change_event('conflict', '{updated_at}');
--> statement-breakpoint
CREATE TRIGGER trigger_truncate_events BEFORE TRUNCATE ON scheduling.schedule_conflicts
  FOR EACH STATEMENT EXECUTE FUNCTION scheduling.record_truncate_events('conflict');
--> statement-breakpoint
CREATE TRIGGER trigger_change_event AFTER INSERT OR DELETE ON scheduling.session_resources
  FOR EACH ROW EXECUTE FUNCTION scheduling.record_change_event('resource');
--> statement-breakpoint
CREATE TRIGGER trigger_change_event_update AFTER UPDATE ON scheduling.session_resources
  FOR EACH ROW WHEN ((to_jsonb(OLD) - '{updated_at}'::text[]) IS DISTINCT FROM (to_jsonb(NEW) - '{updated_at}'::text[]))
  EXECUTE FUNCTION scheduling.record_change_event('resource', '{updated_at}');
--> statement-breakpoint
CREATE TRIGGER trigger_truncate_events BEFORE TRUNCATE ON scheduling.session_resources
  FOR EACH STATEMENT EXECUTE FUNCTION scheduling.record_truncate_events('resource');
--> statement-breakpoint

-- Events are append-only. Only the retention job (maintenance.purgeEvents) deletes
-- them: it turns scheduling.event_retention on for its own statement. A host that sets
-- it itself deletes its audit trail on purpose; a superuser can always drop triggers.
CREATE FUNCTION scheduling.refuse_event_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('scheduling.event_retention', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION USING ERRCODE = 'SC011',
    MESSAGE = format('change events are append-only: %s refused (only maintenance.purgeEvents deletes them)', TG_OP),
    DETAIL = json_build_object('table', 'change_events', 'reason', 'append_only')::text;
END
$$;
--> statement-breakpoint
CREATE TRIGGER trigger_refuse_event_change BEFORE UPDATE OR DELETE ON scheduling.change_events
  FOR EACH ROW EXECUTE FUNCTION scheduling.refuse_event_change();
--> statement-breakpoint
CREATE TRIGGER trigger_refuse_event_truncate BEFORE TRUNCATE ON scheduling.change_events
  FOR EACH STATEMENT EXECUTE FUNCTION scheduling.refuse_event_change();
