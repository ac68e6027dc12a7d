CREATE TYPE "public"."notify_channel" AS ENUM('email', 'sms', 'push');--> statement-breakpoint
CREATE TYPE "public"."notify_status" AS ENUM('queued', 'held', 'sent', 'failed', 'dead', 'withdrawn');--> statement-breakpoint
CREATE TABLE "app_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dj_notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assignment_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"dj_id" uuid NOT NULL,
	"channel" "notify_channel" NOT NULL,
	"status" "notify_status" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"error" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "dj_notifications_attempts_nonneg" CHECK ("dj_notifications"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "dj_notify_settings" (
	"dj_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid,
	"email" boolean DEFAULT true NOT NULL,
	"email_to" text,
	"sms" boolean DEFAULT false NOT NULL,
	"sms_to" text,
	"push" boolean DEFAULT false NOT NULL,
	"quiet_start" text,
	"quiet_end" text,
	"time_zone" text DEFAULT 'America/Chicago' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dj_notify_quiet_both" CHECK (("dj_notify_settings"."quiet_start" is null) = ("dj_notify_settings"."quiet_end" is null)),
	CONSTRAINT "dj_notify_sms_to" CHECK (not "dj_notify_settings"."sms" or "dj_notify_settings"."sms_to" is not null)
);
--> statement-breakpoint
CREATE TABLE "push_subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"endpoint" text NOT NULL,
	"p256dh" text NOT NULL,
	"auth" text NOT NULL,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dj_notifications" ADD CONSTRAINT "dj_notifications_assignment_id_lead_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."lead_assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dj_notifications" ADD CONSTRAINT "dj_notifications_lead_id_market_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."market_leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dj_notifications" ADD CONSTRAINT "dj_notifications_dj_id_djs_id_fk" FOREIGN KEY ("dj_id") REFERENCES "public"."djs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dj_notify_settings" ADD CONSTRAINT "dj_notify_settings_dj_id_djs_id_fk" FOREIGN KEY ("dj_id") REFERENCES "public"."djs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dj_notify_settings" ADD CONSTRAINT "dj_notify_settings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "push_subscriptions" ADD CONSTRAINT "push_subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "dj_notifications_offer_channel_uq" ON "dj_notifications" USING btree ("assignment_id","channel");--> statement-breakpoint
CREATE INDEX "dj_notifications_lead_idx" ON "dj_notifications" USING btree ("lead_id");--> statement-breakpoint
CREATE UNIQUE INDEX "push_subscriptions_endpoint_uq" ON "push_subscriptions" USING btree ("endpoint");--> statement-breakpoint
CREATE INDEX "push_subscriptions_user_idx" ON "push_subscriptions" USING btree ("user_id");