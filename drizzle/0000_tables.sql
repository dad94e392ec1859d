-- IF NOT EXISTS (edited by hand): migrate() creates the schema first, to hold its tracking table.
CREATE SCHEMA IF NOT EXISTS "scheduling";
--> statement-breakpoint
CREATE SEQUENCE "scheduling"."booking_code_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "scheduling"."conflict_code_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "scheduling"."parent_code_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "scheduling"."session_code_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "scheduling"."student_code_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "scheduling"."waitlist_code_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "scheduling"."courses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"program_id" uuid NOT NULL,
	"level_id" uuid,
	"code" varchar(50) NOT NULL,
	"name" varchar(255) NOT NULL,
	"description" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "courses_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "scheduling"."curricula" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"course_id" uuid,
	"code" varchar(50) NOT NULL,
	"name" varchar(255) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "curricula_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "scheduling"."levels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"program_id" uuid,
	"code" varchar(50) NOT NULL,
	"name" varchar(255) NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "levels_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "scheduling"."programs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" varchar(50) NOT NULL,
	"name" varchar(255) NOT NULL,
	"description" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "programs_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "scheduling"."instructors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid,
	"email" varchar(255) NOT NULL,
	"first_name" varchar(100) NOT NULL,
	"last_name" varchar(100) NOT NULL,
	"max_concurrent_sessions" integer DEFAULT 1 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "instructors_email_unique" UNIQUE("email"),
	CONSTRAINT "chk_instructor_concurrency" CHECK ("scheduling"."instructors"."max_concurrent_sessions" >= 1)
);
--> statement-breakpoint
CREATE TABLE "scheduling"."parent_students" (
	"parent_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"relationship" varchar(50) DEFAULT 'parent',
	CONSTRAINT "parent_students_parent_id_student_id_pk" PRIMARY KEY("parent_id","student_id")
);
--> statement-breakpoint
CREATE TABLE "scheduling"."parents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"parent_id" varchar(20) DEFAULT ('PAR-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || to_char(nextval('scheduling.parent_code_seq'), 'FM999999999990000')) NOT NULL,
	"user_id" uuid,
	"first_name" varchar(100) NOT NULL,
	"last_name" varchar(100) NOT NULL,
	"email" varchar(255),
	"phone" varchar(50),
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "parents_parent_id_unique" UNIQUE("parent_id")
);
--> statement-breakpoint
CREATE TABLE "scheduling"."students" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"student_id" varchar(20) DEFAULT ('STU-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || to_char(nextval('scheduling.student_code_seq'), 'FM999999999990000')) NOT NULL,
	"user_id" uuid,
	"first_name" varchar(100) NOT NULL,
	"last_name" varchar(100) NOT NULL,
	"date_of_birth" date,
	"level_id" uuid,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "students_student_id_unique" UNIQUE("student_id")
);
--> statement-breakpoint
CREATE TABLE "scheduling"."users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(255) NOT NULL,
	"full_name" varchar(255),
	"role" varchar(20) DEFAULT 'admin' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "chk_user_role" CHECK ("scheduling"."users"."role" IN ('admin', 'instructor', 'parent', 'student', 'staff'))
);
--> statement-breakpoint
CREATE TABLE "scheduling"."facilities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"location_id" uuid NOT NULL,
	"code" varchar(50) NOT NULL,
	"name" varchar(255) NOT NULL,
	"facility_type" varchar(50),
	"capacity" integer,
	"max_concurrent_sessions" integer DEFAULT 1 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "facilities_code_unique" UNIQUE("code"),
	CONSTRAINT "chk_facility_capacity" CHECK ("scheduling"."facilities"."capacity" IS NULL OR "scheduling"."facilities"."capacity" > 0),
	CONSTRAINT "chk_facility_concurrency" CHECK ("scheduling"."facilities"."max_concurrent_sessions" >= 1)
);
--> statement-breakpoint
CREATE TABLE "scheduling"."holidays" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"location_id" uuid,
	"holiday_date" date NOT NULL,
	"name" varchar(255) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "uk_holiday_location_date" UNIQUE("location_id","holiday_date")
);
--> statement-breakpoint
CREATE TABLE "scheduling"."locations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" varchar(50) NOT NULL,
	"name" varchar(255) NOT NULL,
	"timezone" varchar(64) DEFAULT 'UTC' NOT NULL,
	"address" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "locations_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "scheduling"."recurring_patterns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(100) NOT NULL,
	"description" text,
	"pattern_type" varchar(20) NOT NULL,
	"interval_value" integer DEFAULT 1 NOT NULL,
	"days_of_week" integer[],
	"start_date" date NOT NULL,
	"end_date" date,
	"max_occurrences" integer,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	"skip_holidays" boolean DEFAULT true,
	"exception_dates" date[],
	"custom_pattern" jsonb,
	"is_active" boolean DEFAULT true,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	"created_by" uuid DEFAULT (nullif(current_setting('scheduling.actor_id', true), ''))::uuid NOT NULL,
	CONSTRAINT "chk_pattern_type" CHECK ("scheduling"."recurring_patterns"."pattern_type" IN ('daily', 'weekly', 'biweekly', 'monthly', 'custom')),
	CONSTRAINT "chk_days_of_week" CHECK (array_length("scheduling"."recurring_patterns"."days_of_week", 1) > 0 AND array_length("scheduling"."recurring_patterns"."days_of_week", 1) <= 7 AND 0 <= ALL("scheduling"."recurring_patterns"."days_of_week") AND 6 >= ALL("scheduling"."recurring_patterns"."days_of_week")),
	CONSTRAINT "chk_recurring_interval" CHECK ("scheduling"."recurring_patterns"."interval_value" >= 1),
	CONSTRAINT "chk_recurring_end_time" CHECK ("scheduling"."recurring_patterns"."end_time" > "scheduling"."recurring_patterns"."start_time"),
	CONSTRAINT "chk_recurring_dates" CHECK ("scheduling"."recurring_patterns"."end_date" IS NULL OR "scheduling"."recurring_patterns"."end_date" >= "scheduling"."recurring_patterns"."start_date"),
	CONSTRAINT "chk_recurring_occurrences" CHECK ("scheduling"."recurring_patterns"."max_occurrences" IS NULL OR "scheduling"."recurring_patterns"."max_occurrences" > 0)
);
--> statement-breakpoint
CREATE TABLE "scheduling"."sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" varchar(20) DEFAULT ('SES-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || to_char(nextval('scheduling.session_code_seq'), 'FM999999999990000')) NOT NULL,
	"program_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"curriculum_id" uuid,
	"level_id" uuid,
	"location_id" uuid NOT NULL,
	"facility_id" uuid NOT NULL,
	"instructor_id" uuid,
	"session_type" varchar(20) NOT NULL,
	"title" varchar(255) NOT NULL,
	"description" text,
	"start_time" timestamp with time zone NOT NULL,
	"end_time" timestamp with time zone NOT NULL,
	"duration_minutes" integer GENERATED ALWAYS AS (EXTRACT(EPOCH FROM (end_time - start_time)) / 60) STORED,
	"capacity" integer NOT NULL,
	"min_participants" integer DEFAULT 1,
	"current_bookings" integer DEFAULT 0 NOT NULL,
	"available_spots" integer GENERATED ALWAYS AS (capacity - current_bookings) STORED,
	"status" varchar(20) DEFAULT 'scheduled' NOT NULL,
	"is_recurring" boolean DEFAULT false,
	"recurring_pattern_id" uuid,
	"parent_session_id" uuid,
	"cancellation_reason" text,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" uuid,
	"special_requirements" text,
	"equipment_needed" text[],
	"preparation_notes" text,
	"session_price" numeric(10, 2),
	"discount_percentage" numeric(5, 2) DEFAULT '0.00',
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	"created_by" uuid DEFAULT (nullif(current_setting('scheduling.actor_id', true), ''))::uuid NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "sessions_session_id_unique" UNIQUE("session_id"),
	CONSTRAINT "chk_session_times" CHECK ("scheduling"."sessions"."end_time" > "scheduling"."sessions"."start_time"),
	CONSTRAINT "chk_session_max_duration" CHECK ("scheduling"."sessions"."end_time" - "scheduling"."sessions"."start_time" <= interval '24 hours'),
	CONSTRAINT "chk_session_capacity" CHECK ("scheduling"."sessions"."capacity" > 0 AND "scheduling"."sessions"."capacity" <= 50),
	CONSTRAINT "chk_session_participants" CHECK ("scheduling"."sessions"."min_participants" >= 1 AND "scheduling"."sessions"."min_participants" <= "scheduling"."sessions"."capacity"),
	CONSTRAINT "chk_session_bookings" CHECK ("scheduling"."sessions"."current_bookings" >= 0 AND "scheduling"."sessions"."current_bookings" <= "scheduling"."sessions"."capacity"),
	CONSTRAINT "chk_session_price" CHECK ("scheduling"."sessions"."session_price" IS NULL OR "scheduling"."sessions"."session_price" >= 0),
	CONSTRAINT "chk_session_discount" CHECK ("scheduling"."sessions"."discount_percentage" IS NULL OR ("scheduling"."sessions"."discount_percentage" >= 0 AND "scheduling"."sessions"."discount_percentage" <= 100)),
	CONSTRAINT "chk_session_type" CHECK ("scheduling"."sessions"."session_type" IN ('group', 'private', 'school')),
	CONSTRAINT "chk_session_status" CHECK ("scheduling"."sessions"."status" IN ('scheduled', 'in_progress', 'completed', 'cancelled', 'postponed'))
);
--> statement-breakpoint
CREATE TABLE "scheduling"."session_bookings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" varchar(20) DEFAULT ('BKG-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || to_char(nextval('scheduling.booking_code_seq'), 'FM999999999990000')) NOT NULL,
	"session_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"parent_id" uuid,
	"booking_status" varchar(20) DEFAULT 'confirmed' NOT NULL,
	"booking_date" timestamp with time zone DEFAULT now(),
	"booking_source" varchar(50) DEFAULT 'admin',
	"cancellation_date" timestamp with time zone,
	"cancellation_reason" text,
	"cancellation_type" varchar(20),
	"checked_in_at" timestamp with time zone,
	"checked_out_at" timestamp with time zone,
	"attendance_status" varchar(20),
	"session_credits_used" integer DEFAULT 1,
	"is_makeup_session" boolean DEFAULT false,
	"original_session_id" uuid,
	"amount_charged" numeric(10, 2),
	"discount_applied" numeric(10, 2) DEFAULT '0.00',
	"special_requests" text,
	"medical_notes" text,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	"created_by" uuid,
	CONSTRAINT "session_bookings_booking_id_unique" UNIQUE("booking_id"),
	CONSTRAINT "uk_session_booking" UNIQUE("session_id","student_id"),
	CONSTRAINT "chk_booking_status" CHECK ("scheduling"."session_bookings"."booking_status" IN ('confirmed', 'cancelled', 'no_show', 'completed', 'pending')),
	CONSTRAINT "chk_cancellation_type" CHECK ("scheduling"."session_bookings"."cancellation_type" IN ('student', 'instructor', 'academy', 'emergency')),
	CONSTRAINT "chk_attendance_status" CHECK ("scheduling"."session_bookings"."attendance_status" IN ('present', 'absent', 'late', 'partial')),
	CONSTRAINT "chk_booking_times" CHECK ("scheduling"."session_bookings"."checked_out_at" IS NULL OR "scheduling"."session_bookings"."checked_in_at" IS NULL OR "scheduling"."session_bookings"."checked_out_at" >= "scheduling"."session_bookings"."checked_in_at"),
	CONSTRAINT "chk_cancellation_date" CHECK ("scheduling"."session_bookings"."cancellation_date" IS NULL OR "scheduling"."session_bookings"."cancellation_date" >= "scheduling"."session_bookings"."booking_date"),
	CONSTRAINT "chk_booking_credits" CHECK ("scheduling"."session_bookings"."session_credits_used" IS NULL OR "scheduling"."session_bookings"."session_credits_used" >= 0)
);
--> statement-breakpoint
CREATE TABLE "scheduling"."session_bookings_archive" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" varchar(20) NOT NULL,
	"session_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"parent_id" uuid,
	"booking_status" varchar(20) DEFAULT 'confirmed' NOT NULL,
	"booking_date" timestamp with time zone DEFAULT now(),
	"booking_source" varchar(50) DEFAULT 'admin',
	"cancellation_date" timestamp with time zone,
	"cancellation_reason" text,
	"cancellation_type" varchar(20),
	"checked_in_at" timestamp with time zone,
	"checked_out_at" timestamp with time zone,
	"attendance_status" varchar(20),
	"session_credits_used" integer DEFAULT 1,
	"is_makeup_session" boolean DEFAULT false,
	"original_session_id" uuid,
	"amount_charged" numeric(10, 2),
	"discount_applied" numeric(10, 2) DEFAULT '0.00',
	"special_requests" text,
	"medical_notes" text,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "scheduling"."instructor_availability" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instructor_id" uuid NOT NULL,
	"availability_type" varchar(20) NOT NULL,
	"day_of_week" integer,
	"start_time" time NOT NULL,
	"end_time" time NOT NULL,
	"location_id" uuid,
	"facility_id" uuid,
	"effective_from" date NOT NULL,
	"effective_until" date,
	"specific_date" date,
	"break_duration_minutes" integer DEFAULT 0,
	"break_start_time" time,
	"max_concurrent_sessions" integer DEFAULT 1,
	"is_active" boolean DEFAULT true,
	"notes" text,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	"created_by" uuid,
	CONSTRAINT "chk_availability_type" CHECK ("scheduling"."instructor_availability"."availability_type" IN ('regular', 'temporary', 'exception')),
	CONSTRAINT "chk_availability_day" CHECK ("scheduling"."instructor_availability"."day_of_week" >= 0 AND "scheduling"."instructor_availability"."day_of_week" <= 6),
	CONSTRAINT "chk_availability_times" CHECK ("scheduling"."instructor_availability"."end_time" > "scheduling"."instructor_availability"."start_time"),
	CONSTRAINT "chk_availability_dates" CHECK ("scheduling"."instructor_availability"."effective_until" IS NULL OR "scheduling"."instructor_availability"."effective_until" >= "scheduling"."instructor_availability"."effective_from"),
	CONSTRAINT "chk_availability_context" CHECK (("scheduling"."instructor_availability"."day_of_week" IS NOT NULL AND "scheduling"."instructor_availability"."specific_date" IS NULL) OR ("scheduling"."instructor_availability"."day_of_week" IS NULL AND "scheduling"."instructor_availability"."specific_date" IS NOT NULL)),
	CONSTRAINT "chk_availability_break" CHECK ("scheduling"."instructor_availability"."break_duration_minutes" IS NULL OR "scheduling"."instructor_availability"."break_duration_minutes" >= 0),
	CONSTRAINT "chk_availability_concurrency" CHECK ("scheduling"."instructor_availability"."max_concurrent_sessions" IS NULL OR "scheduling"."instructor_availability"."max_concurrent_sessions" >= 0)
);
--> statement-breakpoint
CREATE TABLE "scheduling"."schedule_conflicts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conflict_id" varchar(20) DEFAULT ('CON-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || to_char(nextval('scheduling.conflict_code_seq'), 'FM999999999990000')) NOT NULL,
	"conflict_type" varchar(50) NOT NULL,
	"session_id" uuid NOT NULL,
	"conflicting_session_id" uuid,
	"instructor_id" uuid,
	"student_id" uuid,
	"facility_id" uuid,
	"conflict_description" text NOT NULL,
	"conflict_time_start" timestamp with time zone,
	"conflict_time_end" timestamp with time zone,
	"severity" varchar(20) NOT NULL,
	"status" varchar(20) DEFAULT 'detected' NOT NULL,
	"resolution_method" varchar(50),
	"resolution_notes" text,
	"affected_bookings" integer DEFAULT 0,
	"financial_impact" numeric(10, 2) DEFAULT '0.00',
	"detected_at" timestamp with time zone DEFAULT now(),
	"acknowledged_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"detected_by" uuid,
	"resolved_by" uuid,
	CONSTRAINT "schedule_conflicts_conflict_id_unique" UNIQUE("conflict_id"),
	CONSTRAINT "chk_conflict_type" CHECK ("scheduling"."schedule_conflicts"."conflict_type" IN ('instructor_double_booking', 'facility_overlap', 'student_conflict', 'capacity_exceeded', 'availability_mismatch')),
	CONSTRAINT "chk_conflict_severity" CHECK ("scheduling"."schedule_conflicts"."severity" IN ('low', 'medium', 'high', 'critical')),
	CONSTRAINT "chk_conflict_status" CHECK ("scheduling"."schedule_conflicts"."status" IN ('detected', 'acknowledged', 'resolved', 'ignored')),
	CONSTRAINT "chk_conflict_resolution_method" CHECK ("scheduling"."schedule_conflicts"."resolution_method" IN ('session_moved', 'instructor_changed', 'capacity_increased', 'booking_cancelled', 'manual_override')),
	CONSTRAINT "chk_conflict_resolution" CHECK ("scheduling"."schedule_conflicts"."resolved_at" IS NULL OR "scheduling"."schedule_conflicts"."resolved_at" >= "scheduling"."schedule_conflicts"."detected_at"),
	CONSTRAINT "chk_conflict_acknowledgment" CHECK ("scheduling"."schedule_conflicts"."acknowledged_at" IS NULL OR "scheduling"."schedule_conflicts"."acknowledged_at" >= "scheduling"."schedule_conflicts"."detected_at")
);
--> statement-breakpoint
CREATE TABLE "scheduling"."session_waitlist" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"waitlist_id" varchar(20) DEFAULT ('WLT-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || to_char(nextval('scheduling.waitlist_code_seq'), 'FM999999999990000')) NOT NULL,
	"session_id" uuid NOT NULL,
	"student_id" uuid NOT NULL,
	"parent_id" uuid,
	"position" integer NOT NULL,
	"priority_score" integer DEFAULT 0,
	"added_at" timestamp with time zone DEFAULT now(),
	"notified_at" timestamp with time zone,
	"response_deadline" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"status" varchar(20) DEFAULT 'waiting' NOT NULL,
	"notification_method" varchar(20),
	"notification_sent" boolean DEFAULT false,
	"response_received_at" timestamp with time zone,
	"response_notes" text,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "session_waitlist_waitlist_id_unique" UNIQUE("waitlist_id"),
	CONSTRAINT "uk_session_waitlist" UNIQUE("session_id","student_id"),
	CONSTRAINT "chk_waitlist_status" CHECK ("scheduling"."session_waitlist"."status" IN ('waiting', 'notified', 'offered', 'accepted', 'declined', 'expired', 'cancelled')),
	CONSTRAINT "chk_notification_method" CHECK ("scheduling"."session_waitlist"."notification_method" IN ('email', 'sms', 'app_push', 'phone_call')),
	CONSTRAINT "chk_waitlist_position" CHECK ("scheduling"."session_waitlist"."position" > 0),
	CONSTRAINT "chk_waitlist_expiry" CHECK ("scheduling"."session_waitlist"."expires_at" IS NULL OR "scheduling"."session_waitlist"."expires_at" > "scheduling"."session_waitlist"."added_at")
);
--> statement-breakpoint
CREATE TABLE "scheduling"."session_feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"student_id" uuid,
	"parent_id" uuid,
	"instructor_id" uuid,
	"feedback_source" varchar(20) NOT NULL,
	"overall_rating" integer,
	"instruction_quality" integer,
	"facility_rating" integer,
	"content_rating" integer,
	"feedback_text" text,
	"positive_aspects" text,
	"areas_for_improvement" text,
	"punctuality_rating" integer,
	"communication_rating" integer,
	"safety_rating" integer,
	"requires_follow_up" boolean DEFAULT false,
	"follow_up_notes" text,
	"follow_up_completed" boolean DEFAULT false,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	"submitted_by" uuid,
	CONSTRAINT "chk_feedback_source" CHECK ("scheduling"."session_feedback"."feedback_source" IN ('student', 'parent', 'instructor', 'admin')),
	CONSTRAINT "chk_feedback_overall_rating" CHECK ("scheduling"."session_feedback"."overall_rating" >= 1 AND "scheduling"."session_feedback"."overall_rating" <= 5),
	CONSTRAINT "chk_feedback_instruction_quality" CHECK ("scheduling"."session_feedback"."instruction_quality" >= 1 AND "scheduling"."session_feedback"."instruction_quality" <= 5),
	CONSTRAINT "chk_feedback_facility_rating" CHECK ("scheduling"."session_feedback"."facility_rating" >= 1 AND "scheduling"."session_feedback"."facility_rating" <= 5),
	CONSTRAINT "chk_feedback_content_rating" CHECK ("scheduling"."session_feedback"."content_rating" >= 1 AND "scheduling"."session_feedback"."content_rating" <= 5),
	CONSTRAINT "chk_feedback_punctuality_rating" CHECK ("scheduling"."session_feedback"."punctuality_rating" >= 1 AND "scheduling"."session_feedback"."punctuality_rating" <= 5),
	CONSTRAINT "chk_feedback_communication_rating" CHECK ("scheduling"."session_feedback"."communication_rating" >= 1 AND "scheduling"."session_feedback"."communication_rating" <= 5),
	CONSTRAINT "chk_feedback_safety_rating" CHECK ("scheduling"."session_feedback"."safety_rating" >= 1 AND "scheduling"."session_feedback"."safety_rating" <= 5),
	CONSTRAINT "chk_feedback_has_rating" CHECK ("scheduling"."session_feedback"."overall_rating" IS NOT NULL OR "scheduling"."session_feedback"."feedback_text" IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "scheduling"."session_resources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"resource_type" varchar(50) NOT NULL,
	"resource_name" varchar(255) NOT NULL,
	"resource_description" text,
	"quantity_needed" integer DEFAULT 1,
	"quantity_allocated" integer DEFAULT 0,
	"allocation_status" varchar(20) DEFAULT 'requested',
	"allocated_by" uuid,
	"allocated_at" timestamp with time zone,
	"specifications" text,
	"setup_instructions" text,
	"cleanup_instructions" text,
	"cost_per_unit" numeric(10, 2) DEFAULT '0.00',
	"total_cost" numeric(10, 2) GENERATED ALWAYS AS (cost_per_unit * quantity_needed) STORED,
	"is_mandatory" boolean DEFAULT true,
	"is_available" boolean DEFAULT true,
	"created_at" timestamp with time zone DEFAULT now(),
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "chk_resource_type" CHECK ("scheduling"."session_resources"."resource_type" IN ('equipment', 'material', 'facility_feature', 'digital_resource')),
	CONSTRAINT "chk_allocation_status" CHECK ("scheduling"."session_resources"."allocation_status" IN ('requested', 'allocated', 'unavailable', 'cancelled')),
	CONSTRAINT "chk_resource_quantities" CHECK ("scheduling"."session_resources"."quantity_needed" > 0 AND "scheduling"."session_resources"."quantity_allocated" >= 0)
);
--> statement-breakpoint
CREATE TABLE "scheduling"."capacity_policies" (
	"session_type" varchar(20) PRIMARY KEY NOT NULL,
	"min_capacity" integer NOT NULL,
	"max_capacity" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now(),
	CONSTRAINT "chk_capacity_policy_type" CHECK ("scheduling"."capacity_policies"."session_type" IN ('group', 'private', 'school')),
	CONSTRAINT "chk_capacity_policy_range" CHECK ("scheduling"."capacity_policies"."min_capacity" >= 1 AND "scheduling"."capacity_policies"."min_capacity" <= "scheduling"."capacity_policies"."max_capacity" AND "scheduling"."capacity_policies"."max_capacity" <= 50)
);
--> statement-breakpoint
ALTER TABLE "scheduling"."courses" ADD CONSTRAINT "courses_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "scheduling"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."courses" ADD CONSTRAINT "courses_level_id_levels_id_fk" FOREIGN KEY ("level_id") REFERENCES "scheduling"."levels"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."curricula" ADD CONSTRAINT "curricula_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "scheduling"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."levels" ADD CONSTRAINT "levels_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "scheduling"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."instructors" ADD CONSTRAINT "instructors_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "scheduling"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."parent_students" ADD CONSTRAINT "parent_students_parent_id_parents_id_fk" FOREIGN KEY ("parent_id") REFERENCES "scheduling"."parents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."parent_students" ADD CONSTRAINT "parent_students_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "scheduling"."students"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."parents" ADD CONSTRAINT "parents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "scheduling"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."students" ADD CONSTRAINT "students_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "scheduling"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."students" ADD CONSTRAINT "students_level_id_levels_id_fk" FOREIGN KEY ("level_id") REFERENCES "scheduling"."levels"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."facilities" ADD CONSTRAINT "facilities_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "scheduling"."locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."holidays" ADD CONSTRAINT "holidays_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "scheduling"."locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."recurring_patterns" ADD CONSTRAINT "recurring_patterns_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "scheduling"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD CONSTRAINT "sessions_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "scheduling"."programs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD CONSTRAINT "sessions_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "scheduling"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD CONSTRAINT "sessions_curriculum_id_curricula_id_fk" FOREIGN KEY ("curriculum_id") REFERENCES "scheduling"."curricula"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD CONSTRAINT "sessions_level_id_levels_id_fk" FOREIGN KEY ("level_id") REFERENCES "scheduling"."levels"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD CONSTRAINT "sessions_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "scheduling"."locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD CONSTRAINT "sessions_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "scheduling"."facilities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD CONSTRAINT "sessions_instructor_id_instructors_id_fk" FOREIGN KEY ("instructor_id") REFERENCES "scheduling"."instructors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD CONSTRAINT "sessions_recurring_pattern_id_recurring_patterns_id_fk" FOREIGN KEY ("recurring_pattern_id") REFERENCES "scheduling"."recurring_patterns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD CONSTRAINT "sessions_parent_session_id_sessions_id_fk" FOREIGN KEY ("parent_session_id") REFERENCES "scheduling"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD CONSTRAINT "sessions_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "scheduling"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD CONSTRAINT "sessions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "scheduling"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD CONSTRAINT "sessions_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "scheduling"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_bookings" ADD CONSTRAINT "session_bookings_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "scheduling"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_bookings" ADD CONSTRAINT "session_bookings_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "scheduling"."students"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_bookings" ADD CONSTRAINT "session_bookings_parent_id_parents_id_fk" FOREIGN KEY ("parent_id") REFERENCES "scheduling"."parents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_bookings" ADD CONSTRAINT "session_bookings_original_session_id_sessions_id_fk" FOREIGN KEY ("original_session_id") REFERENCES "scheduling"."sessions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_bookings" ADD CONSTRAINT "session_bookings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "scheduling"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."instructor_availability" ADD CONSTRAINT "instructor_availability_instructor_id_instructors_id_fk" FOREIGN KEY ("instructor_id") REFERENCES "scheduling"."instructors"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."instructor_availability" ADD CONSTRAINT "instructor_availability_location_id_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "scheduling"."locations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."instructor_availability" ADD CONSTRAINT "instructor_availability_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "scheduling"."facilities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."instructor_availability" ADD CONSTRAINT "instructor_availability_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "scheduling"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."schedule_conflicts" ADD CONSTRAINT "schedule_conflicts_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "scheduling"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."schedule_conflicts" ADD CONSTRAINT "schedule_conflicts_conflicting_session_id_sessions_id_fk" FOREIGN KEY ("conflicting_session_id") REFERENCES "scheduling"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."schedule_conflicts" ADD CONSTRAINT "schedule_conflicts_instructor_id_instructors_id_fk" FOREIGN KEY ("instructor_id") REFERENCES "scheduling"."instructors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."schedule_conflicts" ADD CONSTRAINT "schedule_conflicts_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "scheduling"."students"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."schedule_conflicts" ADD CONSTRAINT "schedule_conflicts_facility_id_facilities_id_fk" FOREIGN KEY ("facility_id") REFERENCES "scheduling"."facilities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."schedule_conflicts" ADD CONSTRAINT "schedule_conflicts_detected_by_users_id_fk" FOREIGN KEY ("detected_by") REFERENCES "scheduling"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."schedule_conflicts" ADD CONSTRAINT "schedule_conflicts_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "scheduling"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_waitlist" ADD CONSTRAINT "session_waitlist_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "scheduling"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_waitlist" ADD CONSTRAINT "session_waitlist_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "scheduling"."students"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_waitlist" ADD CONSTRAINT "session_waitlist_parent_id_parents_id_fk" FOREIGN KEY ("parent_id") REFERENCES "scheduling"."parents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_feedback" ADD CONSTRAINT "session_feedback_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "scheduling"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_feedback" ADD CONSTRAINT "session_feedback_student_id_students_id_fk" FOREIGN KEY ("student_id") REFERENCES "scheduling"."students"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_feedback" ADD CONSTRAINT "session_feedback_parent_id_parents_id_fk" FOREIGN KEY ("parent_id") REFERENCES "scheduling"."parents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_feedback" ADD CONSTRAINT "session_feedback_instructor_id_instructors_id_fk" FOREIGN KEY ("instructor_id") REFERENCES "scheduling"."instructors"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_feedback" ADD CONSTRAINT "session_feedback_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "scheduling"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_resources" ADD CONSTRAINT "session_resources_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "scheduling"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling"."session_resources" ADD CONSTRAINT "session_resources_allocated_by_users_id_fk" FOREIGN KEY ("allocated_by") REFERENCES "scheduling"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_parent_students_student" ON "scheduling"."parent_students" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "idx_students_name" ON "scheduling"."students" USING btree ("last_name","first_name");--> statement-breakpoint
CREATE INDEX "idx_facilities_location" ON "scheduling"."facilities" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "idx_holidays_date" ON "scheduling"."holidays" USING btree ("holiday_date");--> statement-breakpoint
CREATE INDEX "idx_recurring_patterns_active" ON "scheduling"."recurring_patterns" USING btree ("is_active");--> statement-breakpoint
CREATE INDEX "idx_recurring_patterns_dates" ON "scheduling"."recurring_patterns" USING btree ("start_date","end_date");--> statement-breakpoint
CREATE INDEX "idx_sessions_location_id" ON "scheduling"."sessions" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "idx_sessions_instructor_id" ON "scheduling"."sessions" USING btree ("instructor_id");--> statement-breakpoint
CREATE INDEX "idx_sessions_start_time" ON "scheduling"."sessions" USING btree ("start_time");--> statement-breakpoint
CREATE INDEX "idx_sessions_status" ON "scheduling"."sessions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_sessions_session_type" ON "scheduling"."sessions" USING btree ("session_type");--> statement-breakpoint
CREATE INDEX "idx_sessions_availability" ON "scheduling"."sessions" USING btree ("location_id","start_time","status","session_type");--> statement-breakpoint
CREATE INDEX "idx_sessions_instructor_schedule" ON "scheduling"."sessions" USING btree ("instructor_id","start_time","status");--> statement-breakpoint
CREATE INDEX "idx_sessions_month" ON "scheduling"."sessions" USING btree (date_trunc('month', (start_time AT TIME ZONE 'UTC')));--> statement-breakpoint
CREATE INDEX "idx_sessions_date_range" ON "scheduling"."sessions" USING btree ("start_time","end_time");--> statement-breakpoint
CREATE INDEX "idx_sessions_facility_schedule" ON "scheduling"."sessions" USING btree ("facility_id","start_time","status");--> statement-breakpoint
CREATE INDEX "idx_sessions_course_schedule" ON "scheduling"."sessions" USING btree ("course_id","start_time");--> statement-breakpoint
CREATE INDEX "idx_sessions_recurring_pattern" ON "scheduling"."sessions" USING btree ("recurring_pattern_id");--> statement-breakpoint
CREATE INDEX "idx_sessions_parent_session" ON "scheduling"."sessions" USING btree ("parent_session_id");--> statement-breakpoint
CREATE INDEX "idx_session_bookings_session_id" ON "scheduling"."session_bookings" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "idx_session_bookings_student_id" ON "scheduling"."session_bookings" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "idx_session_bookings_parent_id" ON "scheduling"."session_bookings" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "idx_session_bookings_status" ON "scheduling"."session_bookings" USING btree ("booking_status");--> statement-breakpoint
CREATE INDEX "idx_session_bookings_date" ON "scheduling"."session_bookings" USING btree ("booking_date");--> statement-breakpoint
CREATE INDEX "idx_session_bookings_student_status" ON "scheduling"."session_bookings" USING btree ("student_id","booking_status");--> statement-breakpoint
CREATE INDEX "idx_session_bookings_session_status" ON "scheduling"."session_bookings" USING btree ("session_id","booking_status");--> statement-breakpoint
CREATE INDEX "idx_session_bookings_month" ON "scheduling"."session_bookings" USING btree (date_trunc('month', (booking_date AT TIME ZONE 'UTC')));--> statement-breakpoint
CREATE INDEX "idx_session_bookings_original_session" ON "scheduling"."session_bookings" USING btree ("original_session_id");--> statement-breakpoint
CREATE INDEX "idx_session_bookings_archive_student" ON "scheduling"."session_bookings_archive" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "idx_session_bookings_archive_session" ON "scheduling"."session_bookings_archive" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "idx_instructor_availability_instructor_id" ON "scheduling"."instructor_availability" USING btree ("instructor_id");--> statement-breakpoint
CREATE INDEX "idx_instructor_availability_day" ON "scheduling"."instructor_availability" USING btree ("day_of_week");--> statement-breakpoint
CREATE INDEX "idx_instructor_availability_location" ON "scheduling"."instructor_availability" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "idx_instructor_availability_effective" ON "scheduling"."instructor_availability" USING btree ("effective_from","effective_until");--> statement-breakpoint
CREATE INDEX "idx_instructor_availability_schedule" ON "scheduling"."instructor_availability" USING btree ("instructor_id","day_of_week","start_time");--> statement-breakpoint
CREATE INDEX "idx_instructor_availability_location_day" ON "scheduling"."instructor_availability" USING btree ("location_id","day_of_week");--> statement-breakpoint
CREATE INDEX "idx_instructor_availability_date_range" ON "scheduling"."instructor_availability" USING btree ("effective_from","effective_until");--> statement-breakpoint
CREATE INDEX "idx_schedule_conflicts_session_id" ON "scheduling"."schedule_conflicts" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "idx_schedule_conflicts_instructor_id" ON "scheduling"."schedule_conflicts" USING btree ("instructor_id");--> statement-breakpoint
CREATE INDEX "idx_schedule_conflicts_status" ON "scheduling"."schedule_conflicts" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_schedule_conflicts_severity" ON "scheduling"."schedule_conflicts" USING btree ("severity");--> statement-breakpoint
CREATE INDEX "idx_schedule_conflicts_conflicting_session" ON "scheduling"."schedule_conflicts" USING btree ("conflicting_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uk_schedule_conflicts_open" ON "scheduling"."schedule_conflicts" USING btree ("conflict_type","session_id",coalesce(conflicting_session_id, '00000000-0000-0000-0000-000000000000'::uuid),coalesce(student_id, '00000000-0000-0000-0000-000000000000'::uuid)) WHERE status IN ('detected', 'acknowledged');--> statement-breakpoint
CREATE INDEX "idx_session_waitlist_session_id" ON "scheduling"."session_waitlist" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "idx_session_waitlist_student_id" ON "scheduling"."session_waitlist" USING btree ("student_id");--> statement-breakpoint
CREATE INDEX "idx_session_waitlist_position" ON "scheduling"."session_waitlist" USING btree ("position");--> statement-breakpoint
CREATE INDEX "idx_session_waitlist_status" ON "scheduling"."session_waitlist" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_session_waitlist_priority" ON "scheduling"."session_waitlist" USING btree ("session_id","position","status");--> statement-breakpoint
CREATE INDEX "idx_session_waitlist_student_priority" ON "scheduling"."session_waitlist" USING btree ("student_id","status","added_at");--> statement-breakpoint
CREATE INDEX "idx_session_waitlist_offer_deadline" ON "scheduling"."session_waitlist" USING btree ("response_deadline") WHERE status = 'offered';--> statement-breakpoint
CREATE INDEX "idx_session_feedback_session" ON "scheduling"."session_feedback" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "idx_session_feedback_instructor" ON "scheduling"."session_feedback" USING btree ("instructor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uk_session_feedback_author" ON "scheduling"."session_feedback" USING btree ("session_id","feedback_source",(CASE feedback_source WHEN 'student' THEN student_id WHEN 'parent' THEN parent_id WHEN 'instructor' THEN instructor_id ELSE submitted_by END));--> statement-breakpoint
CREATE INDEX "idx_session_resources_session" ON "scheduling"."session_resources" USING btree ("session_id");