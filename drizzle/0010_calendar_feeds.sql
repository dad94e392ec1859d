-- Calendar feeds. Hand-written; see docs/calendar-feeds.md.
--
-- 1. A session's calendar SEQUENCE (RFC 5545 3.8.7.4): calendars replace an event they
-- hold only by a higher SEQUENCE for the same UID. It goes up by one whenever the time,
-- the place (location or facility) or the status of the session changes, whoever
-- changes it (a BEFORE trigger, so also the host's own SQL).
ALTER TABLE "scheduling"."sessions" ADD COLUMN "calendar_sequence" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- The trigger's WHEN clause picks the updates that change time, place or status, or
-- write calendar_sequence itself (put back: only this trigger moves it), so the function
-- is not called for the others (a booking's bump of the counter, say).
CREATE FUNCTION scheduling.bump_calendar_sequence() RETURNS trigger
LANGUAGE plpgsql SET search_path = scheduling, pg_temp AS $$
BEGIN
  IF NEW.start_time IS DISTINCT FROM OLD.start_time OR NEW.end_time IS DISTINCT FROM OLD.end_time
     OR NEW.location_id IS DISTINCT FROM OLD.location_id OR NEW.facility_id IS DISTINCT FROM OLD.facility_id
     OR NEW.status IS DISTINCT FROM OLD.status THEN
    NEW.calendar_sequence := OLD.calendar_sequence + 1;
  ELSE
    NEW.calendar_sequence := OLD.calendar_sequence;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER trigger_bump_calendar_sequence BEFORE UPDATE ON scheduling.sessions
  FOR EACH ROW WHEN (NEW.start_time IS DISTINCT FROM OLD.start_time OR NEW.end_time IS DISTINCT FROM OLD.end_time
    OR NEW.location_id IS DISTINCT FROM OLD.location_id OR NEW.facility_id IS DISTINCT FROM OLD.facility_id
    OR NEW.status IS DISTINCT FROM OLD.status OR NEW.calendar_sequence IS DISTINCT FROM OLD.calendar_sequence)
  EXECUTE FUNCTION scheduling.bump_calendar_sequence();
--> statement-breakpoint

-- 2. Tokens for subscribable feed URLs. Only the SHA-256 of a token is stored; each
-- names one feed (its kind and whose it is).
CREATE TABLE "scheduling"."calendar_feed_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" bytea NOT NULL,
	"feed_kind" varchar(20) NOT NULL,
	"subject_id" uuid NOT NULL,
	"label" varchar(100),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid DEFAULT (nullif(current_setting('scheduling.actor_id', true), ''))::uuid,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	CONSTRAINT "uk_calendar_feed_token_hash" UNIQUE("token_hash"),
	CONSTRAINT "chk_calendar_feed_kind" CHECK ("feed_kind" IN ('student', 'parent', 'instructor', 'location', 'facility')),
	CONSTRAINT "chk_calendar_feed_token_hash" CHECK (octet_length("token_hash") = 32)
);
--> statement-breakpoint
CREATE INDEX "idx_calendar_feed_tokens_subject" ON "scheduling"."calendar_feed_tokens" USING btree ("feed_kind","subject_id");
