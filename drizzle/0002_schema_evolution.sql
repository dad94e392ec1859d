ALTER TABLE "scheduling"."sessions" ADD COLUMN "virtual_meeting_url" varchar(500);--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD COLUMN "recording_enabled" boolean DEFAULT false;--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD COLUMN "max_waitlist_size" integer DEFAULT 10;--> statement-breakpoint
ALTER TABLE "scheduling"."session_bookings" ADD COLUMN "payment_status" varchar(20) DEFAULT 'unpaid';--> statement-breakpoint
ALTER TABLE "scheduling"."session_bookings" ADD COLUMN "booking_notes" text;--> statement-breakpoint
ALTER TABLE "scheduling"."session_bookings_archive" ADD COLUMN "payment_status" varchar(20) DEFAULT 'unpaid';--> statement-breakpoint
ALTER TABLE "scheduling"."session_bookings_archive" ADD COLUMN "booking_notes" text;--> statement-breakpoint
ALTER TABLE "scheduling"."sessions" ADD CONSTRAINT "chk_session_waitlist_size" CHECK ("scheduling"."sessions"."max_waitlist_size" IS NULL OR "scheduling"."sessions"."max_waitlist_size" >= 0);