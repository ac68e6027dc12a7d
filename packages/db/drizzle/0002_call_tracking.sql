CREATE TYPE "public"."call_classification" AS ENUM('ignored', 'not_billable', 'billable');--> statement-breakpoint
CREATE TYPE "public"."provider_call_status" AS ENUM('queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled');--> statement-breakpoint
CREATE TYPE "public"."recording_consent_mode" AS ENUM('one_party', 'all_party');--> statement-breakpoint
CREATE TABLE "call_leads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_sid" text NOT NULL,
	"virtual_number_id" uuid,
	"to_number" text NOT NULL,
	"dj_id" uuid NOT NULL,
	"caller_hash" text,
	"caller_state" text,
	"caller_city" text,
	"status" "provider_call_status" NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"duration_sec" integer,
	"classification" "call_classification",
	"thread_id" uuid,
	"repeat_of_call_id" uuid,
	"billed" boolean DEFAULT false NOT NULL,
	"attribution_reason" text,
	"market_lead_id" uuid,
	"attributed_by" text,
	"attributed_at" timestamp with time zone,
	"consent_mode" "recording_consent_mode" NOT NULL,
	"announced" boolean DEFAULT false NOT NULL,
	"recording_allowed" boolean DEFAULT false NOT NULL,
	"recording_reason" text NOT NULL,
	"recording_url" text,
	"converted_at" timestamp with time zone,
	"booking_ref" text,
	"booking_value_cents" integer,
	"provider" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "call_leads_recording_consent" CHECK ("call_leads"."recording_url" is null or "call_leads"."recording_allowed"),
	CONSTRAINT "call_leads_duration_nonneg" CHECK ("call_leads"."duration_sec" is null or "call_leads"."duration_sec" >= 0),
	CONSTRAINT "call_leads_value_nonneg" CHECK ("call_leads"."booking_value_cents" is null or "call_leads"."booking_value_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "dj_virtual_numbers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"dj_id" uuid,
	"recording_enabled" boolean DEFAULT false NOT NULL,
	"assigned_at" timestamp with time zone,
	"assigned_by_user_id" uuid,
	"last_served_at" timestamp with time zone,
	"served_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dj_virtual_numbers_e164" CHECK ("dj_virtual_numbers"."number" ~ '^\+[1-9][0-9]{1,14}$')
);
--> statement-breakpoint
ALTER TABLE "call_leads" ADD CONSTRAINT "call_leads_virtual_number_id_dj_virtual_numbers_id_fk" FOREIGN KEY ("virtual_number_id") REFERENCES "public"."dj_virtual_numbers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_leads" ADD CONSTRAINT "call_leads_dj_id_djs_id_fk" FOREIGN KEY ("dj_id") REFERENCES "public"."djs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_leads" ADD CONSTRAINT "call_leads_market_lead_id_market_leads_id_fk" FOREIGN KEY ("market_lead_id") REFERENCES "public"."market_leads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dj_virtual_numbers" ADD CONSTRAINT "dj_virtual_numbers_dj_id_djs_id_fk" FOREIGN KEY ("dj_id") REFERENCES "public"."djs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dj_virtual_numbers" ADD CONSTRAINT "dj_virtual_numbers_assigned_by_user_id_users_id_fk" FOREIGN KEY ("assigned_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "call_leads_call_sid_uq" ON "call_leads" USING btree ("call_sid");--> statement-breakpoint
CREATE INDEX "call_leads_dj_started_idx" ON "call_leads" USING btree ("dj_id","started_at");--> statement-breakpoint
CREATE INDEX "call_leads_caller_idx" ON "call_leads" USING btree ("dj_id","caller_hash","started_at");--> statement-breakpoint
CREATE INDEX "call_leads_lead_idx" ON "call_leads" USING btree ("market_lead_id");--> statement-breakpoint
CREATE UNIQUE INDEX "call_leads_thread_billed_uq" ON "call_leads" USING btree ("thread_id") WHERE "call_leads"."billed";--> statement-breakpoint
CREATE UNIQUE INDEX "dj_virtual_numbers_number_uq" ON "dj_virtual_numbers" USING btree ("number");--> statement-breakpoint
CREATE INDEX "dj_virtual_numbers_dj_idx" ON "dj_virtual_numbers" USING btree ("dj_id","number");