CREATE TYPE "public"."assignment_status" AS ENUM('offered', 'accepted', 'declined', 'ignored', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."availability_status" AS ENUM('available', 'tentative', 'booked', 'unavailable');--> statement-breakpoint
CREATE TYPE "public"."buyer_type" AS ENUM('NETWORK', 'CONTRACTOR');--> statement-breakpoint
CREATE TYPE "public"."compliance_requirement" AS ENUM('TRUSTED_FORM', 'JORNAYA');--> statement-breakpoint
CREATE TYPE "public"."delivery_method" AS ENUM('EMAIL', 'WEBHOOK', 'DASHBOARD');--> statement-breakpoint
CREATE TYPE "public"."delivery_mode" AS ENUM('EXCLUSIVE', 'SHARED');--> statement-breakpoint
CREATE TYPE "public"."delivery_status" AS ENUM('pending', 'delivered', 'failed', 'dead');--> statement-breakpoint
CREATE TYPE "public"."dj_tier" AS ENUM('premium', 'standard', 'budget');--> statement-breakpoint
CREATE TYPE "public"."event_type" AS ENUM('wedding', 'corporate', 'private_party', 'birthday', 'school_dance', 'anniversary', 'other');--> statement-breakpoint
CREATE TYPE "public"."lead_status" AS ENUM('RECEIVED', 'PROCESSING', 'SOLD', 'UNSOLD', 'REJECTED');--> statement-breakpoint
CREATE TYPE "public"."ledger_entry_kind" AS ENUM('grant', 'purchase', 'unlock', 'refund');--> statement-breakpoint
CREATE TYPE "public"."lost_reason" AS ENUM('TIMEOUT', 'NO_BID', 'BELOW_MIN_BID', 'COMPLIANCE_MISSING', 'OUTBID', 'POST_REJECTED', 'DUPLICATE_LEAD', 'OUTSIDE_HOURS', 'CAP_REACHED', 'CASCADE_EXHAUSTED', 'NOT_SELECTED', 'EXCLUSIVE_TAKEN', 'LOWER_PRIORITY');--> statement-breakpoint
CREATE TYPE "public"."market_lead_close_reason" AS ENUM('customer_cancelled', 'booked_elsewhere', 'event_passed', 'no_dj_found', 'invalid', 'duplicate');--> statement-breakpoint
CREATE TYPE "public"."market_lead_state" AS ENUM('pending', 'scoring', 'routing', 'exclusive', 'tier_expansion', 'broadcast', 'concierge', 'accepted', 'converted', 'closed');--> statement-breakpoint
CREATE TYPE "public"."ping_outcome" AS ENUM('BID', 'NO_BID', 'TIMEOUT', 'ERROR');--> statement-breakpoint
CREATE TYPE "public"."pricing_model" AS ENUM('FIXED', 'AUCTION', 'HYBRID');--> statement-breakpoint
CREATE TYPE "public"."routing_phase" AS ENUM('exclusive', 'tier_expansion', 'broadcast', 'concierge');--> statement-breakpoint
CREATE TYPE "public"."transaction_kind" AS ENUM('PING', 'POST', 'DIRECT');--> statement-breakpoint
CREATE TYPE "public"."unsold_reason" AS ENUM('NO_ELIGIBLE_BUYERS', 'NO_VALID_BIDS', 'CASCADE_EXHAUSTED');--> statement-breakpoint
CREATE TABLE "buyer_zips" (
	"buyer_id" uuid NOT NULL,
	"zip" text NOT NULL,
	"priority" integer DEFAULT 1 NOT NULL,
	"max_bid_cents" integer,
	CONSTRAINT "buyer_zips_buyer_id_zip_pk" PRIMARY KEY("buyer_id","zip"),
	CONSTRAINT "buyer_zips_priority" CHECK ("buyer_zips"."priority" >= 1)
);
--> statement-breakpoint
CREATE TABLE "buyers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text DEFAULT gen_random_uuid()::text NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"type" "buyer_type" NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"verticals" text[] DEFAULT '{}'::text[] NOT NULL,
	"time_zone" text DEFAULT 'America/Chicago' NOT NULL,
	"hours" jsonb,
	"cap_daily" integer,
	"cap_weekly" integer,
	"cap_monthly" integer,
	"duplicate_lookback_days" integer DEFAULT 30 NOT NULL,
	"compliance" "compliance_requirement"[] DEFAULT '{}' NOT NULL,
	"ping_url" text,
	"post_url" text,
	"ping_timeout_ms" integer DEFAULT 1000 NOT NULL,
	"min_bid_cents" integer DEFAULT 0 NOT NULL,
	"response_mapping" jsonb,
	"delivery_mode" "delivery_mode" DEFAULT 'EXCLUSIVE' NOT NULL,
	"max_shared_leads" integer DEFAULT 3 NOT NULL,
	"pricing_model" "pricing_model" DEFAULT 'AUCTION' NOT NULL,
	"fixed_lead_price_cents" integer,
	"max_bid_cents" integer,
	"shared_price_cents" integer,
	"notify_email" boolean DEFAULT true NOT NULL,
	"notify_webhook" boolean DEFAULT false NOT NULL,
	"notify_dashboard" boolean DEFAULT true NOT NULL,
	"notification_email" text,
	"webhook_url" text,
	"webhook_secret" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "buyers_caps_nonneg" CHECK (coalesce("buyers"."cap_daily", 0) >= 0 and coalesce("buyers"."cap_weekly", 0) >= 0 and coalesce("buyers"."cap_monthly", 0) >= 0),
	CONSTRAINT "buyers_money_nonneg" CHECK ("buyers"."min_bid_cents" >= 0 and coalesce("buyers"."fixed_lead_price_cents", 0) >= 0 and coalesce("buyers"."max_bid_cents", 0) >= 0 and coalesce("buyers"."shared_price_cents", 0) >= 0),
	CONSTRAINT "buyers_shared_leads" CHECK ("buyers"."max_shared_leads" between 1 and 50),
	CONSTRAINT "buyers_network_urls" CHECK ("buyers"."type" <> 'NETWORK' or ("buyers"."ping_url" is not null and "buyers"."post_url" is not null))
);
--> statement-breakpoint
CREATE TABLE "verticals" (
	"key" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"floor_cents" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"method" "delivery_method" NOT NULL,
	"status" "delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"webhook_id" text NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid,
	"lead_id" uuid,
	"to" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"status" text DEFAULT 'outbox' NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "lead_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "lead_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"lead_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"buyer_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seller_org_id" uuid NOT NULL,
	"external_id" text,
	"vertical" text NOT NULL,
	"zip" text NOT NULL,
	"state" text,
	"status" "lead_status" DEFAULT 'RECEIVED' NOT NULL,
	"unsold_reason" "unsold_reason",
	"contact" jsonb NOT NULL,
	"phone_normalized" text,
	"email_normalized" text,
	"consent" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"custom_fields" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processing_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"revenue_cents" bigint DEFAULT 0 NOT NULL,
	"winner_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "leads_revenue_nonneg" CHECK ("leads"."revenue_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"lead_id" uuid,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"kind" "transaction_kind" NOT NULL,
	"ping_outcome" "ping_outcome",
	"bid_cents" integer,
	"is_winner" boolean DEFAULT false NOT NULL,
	"lost_reason" "lost_reason",
	"winning_bid_amount_cents" integer,
	"cascade_position" integer,
	"delivery_method" "delivery_method",
	"price_cents" integer,
	"latency_ms" integer,
	"request" text,
	"response" text,
	"post_latency_ms" integer,
	"post_response" text,
	"detail" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "city_event_stats" (
	"city" text NOT NULL,
	"event_type" text DEFAULT '' NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"lead_count_30d" integer NOT NULL,
	"active_dj_count" integer NOT NULL,
	"demand_supply_ratio" numeric(10, 4),
	"market_tension" numeric(5, 4),
	"tension_band" text,
	"median_price_30d_cents" integer,
	"median_price_90d_cents" integer,
	"price_count_30d" integer NOT NULL,
	"price_count_90d" integer NOT NULL,
	"price_p25_cents_90d" integer,
	"price_p75_cents_90d" integer,
	"conversion_rate_90d" numeric(5, 4),
	CONSTRAINT "city_event_stats_city_event_type_pk" PRIMARY KEY("city","event_type")
);
--> statement-breakpoint
CREATE TABLE "contact_unlocks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dj_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"unlocked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_ledger" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dj_id" uuid NOT NULL,
	"kind" "ledger_entry_kind" NOT NULL,
	"credits" integer NOT NULL,
	"balance_after" integer NOT NULL,
	"lead_id" uuid,
	"reference" text,
	"amount_cents" integer,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "credit_ledger_balance_nonneg" CHECK ("credit_ledger"."balance_after" >= 0)
);
--> statement-breakpoint
CREATE TABLE "dj_availability" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dj_id" uuid NOT NULL,
	"date" date NOT NULL,
	"status" "availability_status" DEFAULT 'available' NOT NULL,
	"locked_by_lead_id" uuid,
	"locked_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "djs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid,
	"name" text NOT NULL,
	"city" text NOT NULL,
	"state" text NOT NULL,
	"tier" "dj_tier" DEFAULT 'standard' NOT NULL,
	"contact_email" text,
	"contact_phone" text,
	"price_min_cents" integer NOT NULL,
	"price_max_cents" integer NOT NULL,
	"reliability" integer DEFAULT 70 NOT NULL,
	"avg_response_time_ms" bigint,
	"accepted_count" integer DEFAULT 0 NOT NULL,
	"declined_count" integer DEFAULT 0 NOT NULL,
	"ignored_count" integer DEFAULT 0 NOT NULL,
	"converted_count" integer DEFAULT 0 NOT NULL,
	"acceptance_rate" numeric(5, 4),
	"decline_rate" numeric(5, 4),
	"ignore_rate" numeric(5, 4),
	"conversion_rate" numeric(5, 4),
	"penalty" numeric(5, 2) DEFAULT 0 NOT NULL,
	"penalty_updated_at" timestamp with time zone,
	"cooldown_until" timestamp with time zone,
	"is_active" boolean DEFAULT true NOT NULL,
	"is_suspended" boolean DEFAULT false NOT NULL,
	"routing_score" numeric(5, 1) DEFAULT 0 NOT NULL,
	"routing_components" jsonb,
	"routing_computed_at" timestamp with time zone,
	"credits" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "djs_credits_nonneg" CHECK ("djs"."credits" >= 0),
	CONSTRAINT "djs_price_range" CHECK ("djs"."price_min_cents" >= 0 and "djs"."price_min_cents" <= "djs"."price_max_cents"),
	CONSTRAINT "djs_reliability_range" CHECK ("djs"."reliability" between 0 and 100),
	CONSTRAINT "djs_penalty_range" CHECK ("djs"."penalty" between 0 and 20)
);
--> statement-breakpoint
CREATE TABLE "lead_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid NOT NULL,
	"dj_id" uuid NOT NULL,
	"phase" "routing_phase" NOT NULL,
	"phase_seq" integer NOT NULL,
	"status" "assignment_status" DEFAULT 'offered' NOT NULL,
	"offered_at" timestamp with time zone NOT NULL,
	"window_ends_at" timestamp with time zone NOT NULL,
	"responded_at" timestamp with time zone,
	"response_time_ms" bigint,
	"quote_cents" integer,
	"message" text,
	CONSTRAINT "lead_assignments_answer_in_window" CHECK ("lead_assignments"."status" not in ('accepted', 'declined') or ("lead_assignments"."responded_at" >= "lead_assignments"."offered_at" and "lead_assignments"."responded_at" < "lead_assignments"."window_ends_at")),
	CONSTRAINT "lead_assignments_quote_nonneg" CHECK ("lead_assignments"."quote_cents" is null or "lead_assignments"."quote_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "market_funnel_counters" (
	"day" date NOT NULL,
	"city" text NOT NULL,
	"metric" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "market_funnel_counters_day_city_metric_pk" PRIMARY KEY("day","city","metric")
);
--> statement-breakpoint
CREATE TABLE "market_lead_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"lead_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "market_leads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contact" jsonb NOT NULL,
	"city" text NOT NULL,
	"event_state" text,
	"event_type" "event_type" NOT NULL,
	"event_date" date NOT NULL,
	"budget_min_cents" integer,
	"budget_max_cents" integer,
	"guest_count" integer,
	"venue_name" text,
	"start_time" text,
	"duration_hours" integer,
	"music_preferences" text,
	"notes" text,
	"form_completeness" numeric(4, 3) DEFAULT 0 NOT NULL,
	"score_total" numeric(5, 1),
	"score_components" jsonb,
	"score_explanations" jsonb,
	"state" "market_lead_state" DEFAULT 'pending' NOT NULL,
	"close_reason" "market_lead_close_reason",
	"concierge_reason" text,
	"phase" "routing_phase",
	"phase_seq" integer DEFAULT 0 NOT NULL,
	"phase_ends_at" timestamp with time zone,
	"comparison_token_hash" text NOT NULL,
	"accepted_dj_id" uuid,
	"converted_dj_id" uuid,
	"booking_value_cents" integer,
	"from_calculator" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_response_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"converted_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "market_leads_budget" CHECK ("market_leads"."budget_min_cents" is null or "market_leads"."budget_max_cents" is null or "market_leads"."budget_min_cents" <= "market_leads"."budget_max_cents")
);
--> statement-breakpoint
CREATE TABLE "market_settings" (
	"id" text PRIMARY KEY NOT NULL,
	"routing" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by_user_id" uuid
);
--> statement-breakpoint
ALTER TABLE "buyer_zips" ADD CONSTRAINT "buyer_zips_buyer_id_buyers_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."buyers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buyers" ADD CONSTRAINT "buyers_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_buyer_id_buyers_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."buyers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD CONSTRAINT "email_outbox_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_outbox" ADD CONSTRAINT "email_outbox_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_events" ADD CONSTRAINT "lead_events_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_seller_org_id_orgs_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_buyer_id_buyers_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."buyers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_unlocks" ADD CONSTRAINT "contact_unlocks_dj_id_djs_id_fk" FOREIGN KEY ("dj_id") REFERENCES "public"."djs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_unlocks" ADD CONSTRAINT "contact_unlocks_lead_id_market_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."market_leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_dj_id_djs_id_fk" FOREIGN KEY ("dj_id") REFERENCES "public"."djs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_lead_id_market_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."market_leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_ledger" ADD CONSTRAINT "credit_ledger_created_by_user_id_users_id_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dj_availability" ADD CONSTRAINT "dj_availability_dj_id_djs_id_fk" FOREIGN KEY ("dj_id") REFERENCES "public"."djs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "djs" ADD CONSTRAINT "djs_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_assignments" ADD CONSTRAINT "lead_assignments_lead_id_market_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."market_leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_assignments" ADD CONSTRAINT "lead_assignments_dj_id_djs_id_fk" FOREIGN KEY ("dj_id") REFERENCES "public"."djs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_lead_events" ADD CONSTRAINT "market_lead_events_lead_id_market_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."market_leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_leads" ADD CONSTRAINT "market_leads_accepted_dj_id_djs_id_fk" FOREIGN KEY ("accepted_dj_id") REFERENCES "public"."djs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_leads" ADD CONSTRAINT "market_leads_converted_dj_id_djs_id_fk" FOREIGN KEY ("converted_dj_id") REFERENCES "public"."djs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "market_settings" ADD CONSTRAINT "market_settings_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "buyer_zips_zip_idx" ON "buyer_zips" USING btree ("zip");--> statement-breakpoint
CREATE UNIQUE INDEX "buyers_key_uq" ON "buyers" USING btree ("key");--> statement-breakpoint
CREATE INDEX "buyers_org_idx" ON "buyers" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "buyers_active_type_idx" ON "buyers" USING btree ("active","type");--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_lead_buyer_method_uq" ON "deliveries" USING btree ("lead_id","buyer_id","method");--> statement-breakpoint
CREATE INDEX "deliveries_status_idx" ON "deliveries" USING btree ("status");--> statement-breakpoint
CREATE INDEX "deliveries_buyer_idx" ON "deliveries" USING btree ("buyer_id","created_at");--> statement-breakpoint
CREATE INDEX "email_outbox_org_created_idx" ON "email_outbox" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "lead_events_lead_idx" ON "lead_events" USING btree ("lead_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "leads_seller_external_uq" ON "leads" USING btree ("seller_org_id","external_id") WHERE "leads"."external_id" is not null;--> statement-breakpoint
CREATE INDEX "leads_seller_received_idx" ON "leads" USING btree ("seller_org_id","received_at");--> statement-breakpoint
CREATE INDEX "leads_status_idx" ON "leads" USING btree ("status");--> statement-breakpoint
CREATE INDEX "leads_received_idx" ON "leads" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "leads_phone_idx" ON "leads" USING btree ("phone_normalized");--> statement-breakpoint
CREATE INDEX "leads_email_idx" ON "leads" USING btree ("email_normalized");--> statement-breakpoint
CREATE INDEX "notifications_org_created_idx" ON "notifications" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "transactions_lead_buyer_uq" ON "transactions" USING btree ("lead_id","buyer_id");--> statement-breakpoint
CREATE INDEX "transactions_buyer_created_idx" ON "transactions" USING btree ("buyer_id","created_at");--> statement-breakpoint
CREATE INDEX "transactions_reason_created_idx" ON "transactions" USING btree ("lost_reason","created_at");--> statement-breakpoint
CREATE INDEX "transactions_buyer_winner_idx" ON "transactions" USING btree ("buyer_id","created_at") WHERE "transactions"."is_winner";--> statement-breakpoint
CREATE UNIQUE INDEX "contact_unlocks_dj_lead_uq" ON "contact_unlocks" USING btree ("dj_id","lead_id");--> statement-breakpoint
CREATE INDEX "credit_ledger_dj_idx" ON "credit_ledger" USING btree ("dj_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_ledger_unlock_uq" ON "credit_ledger" USING btree ("dj_id","lead_id") WHERE "credit_ledger"."kind" = 'unlock';--> statement-breakpoint
CREATE UNIQUE INDEX "credit_ledger_purchase_uq" ON "credit_ledger" USING btree ("reference") WHERE "credit_ledger"."kind" = 'purchase';--> statement-breakpoint
CREATE UNIQUE INDEX "dj_availability_dj_date_uq" ON "dj_availability" USING btree ("dj_id","date");--> statement-breakpoint
CREATE INDEX "dj_availability_date_idx" ON "dj_availability" USING btree ("date");--> statement-breakpoint
CREATE UNIQUE INDEX "djs_org_uq" ON "djs" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "djs_city_routing_idx" ON "djs" USING btree ("city","routing_score" DESC NULLS LAST,"id") WHERE "djs"."is_active" and not "djs"."is_suspended";--> statement-breakpoint
CREATE UNIQUE INDEX "lead_assignments_lead_dj_uq" ON "lead_assignments" USING btree ("lead_id","dj_id");--> statement-breakpoint
CREATE INDEX "lead_assignments_dj_status_idx" ON "lead_assignments" USING btree ("dj_id","status");--> statement-breakpoint
CREATE INDEX "lead_assignments_open_idx" ON "lead_assignments" USING btree ("window_ends_at") WHERE "lead_assignments"."status" = 'offered';--> statement-breakpoint
CREATE INDEX "market_lead_events_lead_idx" ON "market_lead_events" USING btree ("lead_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "market_leads_token_uq" ON "market_leads" USING btree ("comparison_token_hash");--> statement-breakpoint
CREATE INDEX "market_leads_state_idx" ON "market_leads" USING btree ("state","phase_ends_at");--> statement-breakpoint
CREATE INDEX "market_leads_city_created_idx" ON "market_leads" USING btree ("city","created_at");