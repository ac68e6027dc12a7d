CREATE TABLE "market_lead_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"lead_id" uuid NOT NULL,
	"dj_id" uuid NOT NULL,
	"sender" text NOT NULL,
	"body" text NOT NULL,
	"redacted" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "market_lead_messages_sender" CHECK ("market_lead_messages"."sender" in ('couple', 'dj')),
	CONSTRAINT "market_lead_messages_body" CHECK (length("market_lead_messages"."body") between 1 and 2000)
);
--> statement-breakpoint
CREATE TABLE "dj_calendars" (
	"dj_id" uuid PRIMARY KEY NOT NULL,
	"feed_token" text NOT NULL,
	"feed_rotated_at" timestamp with time zone NOT NULL,
	"external_url" text,
	"external_fetched_at" timestamp with time zone,
	"external_error" text,
	CONSTRAINT "dj_calendars_feed_token_unique" UNIQUE("feed_token")
);
--> statement-breakpoint
CREATE TABLE "dj_external_busy" (
	"dj_id" uuid NOT NULL,
	"date" date NOT NULL,
	CONSTRAINT "dj_external_busy_dj_id_date_pk" PRIMARY KEY("dj_id","date")
);
--> statement-breakpoint
ALTER TABLE "lead_assignments" ADD COLUMN "chose_other_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "market_lead_messages" ADD CONSTRAINT "market_lead_messages_lead_id_market_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."market_leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_lead_messages" ADD CONSTRAINT "market_lead_messages_dj_id_djs_id_fk" FOREIGN KEY ("dj_id") REFERENCES "public"."djs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dj_calendars" ADD CONSTRAINT "dj_calendars_dj_id_djs_id_fk" FOREIGN KEY ("dj_id") REFERENCES "public"."djs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dj_external_busy" ADD CONSTRAINT "dj_external_busy_dj_id_djs_id_fk" FOREIGN KEY ("dj_id") REFERENCES "public"."djs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "market_lead_messages_thread_idx" ON "market_lead_messages" USING btree ("lead_id","dj_id","seq");--> statement-breakpoint
CREATE INDEX "dj_external_busy_date_idx" ON "dj_external_busy" USING btree ("date");