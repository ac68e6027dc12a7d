CREATE TYPE "public"."payout_entry_kind" AS ENUM('PAYOUT', 'PAYOUT_REVERSAL');--> statement-breakpoint
CREATE TYPE "public"."payout_rule_kind" AS ENUM('FIXED_PER_LEAD', 'REVENUE_SHARE', 'BID_MINUS_MARGIN');--> statement-breakpoint
CREATE TABLE "payout_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seller_org_id" uuid NOT NULL,
	"vertical" text,
	"kind" "payout_rule_kind" NOT NULL,
	"fixed_cents" integer,
	"share_bp" integer,
	"margin_cents" integer,
	"min_margin_cents" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "payout_rules_nonneg" CHECK (coalesce("payout_rules"."fixed_cents", 0) >= 0 and coalesce("payout_rules"."margin_cents", 0) >= 0 and "payout_rules"."min_margin_cents" >= 0),
	CONSTRAINT "payout_rules_share_range" CHECK (coalesce("payout_rules"."share_bp", 0) between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "seller_payouts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "seller_payouts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"lead_id" uuid NOT NULL,
	"seller_org_id" uuid NOT NULL,
	"vertical" text NOT NULL,
	"kind" "payout_entry_kind" NOT NULL,
	"amount_cents" integer NOT NULL,
	"return_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "seller_payouts_sign" CHECK (("seller_payouts"."kind" = 'PAYOUT' and "seller_payouts"."amount_cents" >= 0) or ("seller_payouts"."kind" = 'PAYOUT_REVERSAL' and "seller_payouts"."amount_cents" <= 0))
);
--> statement-breakpoint
CREATE TABLE "seller_pings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seller_org_id" uuid NOT NULL,
	"partial" jsonb NOT NULL,
	"held" jsonb NOT NULL,
	"accepted" boolean NOT NULL,
	"best_bid_cents" integer,
	"payout_cents" integer NOT NULL,
	"rule" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"lead_id" uuid
);
--> statement-breakpoint
CREATE TABLE "seller_sources" (
	"seller_org_id" uuid PRIMARY KEY NOT NULL,
	"ping_ttl_seconds" integer DEFAULT 60 NOT NULL,
	"return_window_days" integer DEFAULT 30 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "seller_sources_ttl_range" CHECK ("seller_sources"."ping_ttl_seconds" between 1 and 3600),
	CONSTRAINT "seller_sources_window_range" CHECK ("seller_sources"."return_window_days" between 0 and 365)
);
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "payout_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payout_rules" ADD CONSTRAINT "payout_rules_seller_org_id_orgs_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payout_rules" ADD CONSTRAINT "payout_rules_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seller_payouts" ADD CONSTRAINT "seller_payouts_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seller_payouts" ADD CONSTRAINT "seller_payouts_seller_org_id_orgs_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seller_payouts" ADD CONSTRAINT "seller_payouts_return_id_return_requests_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."return_requests"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seller_pings" ADD CONSTRAINT "seller_pings_seller_org_id_orgs_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seller_pings" ADD CONSTRAINT "seller_pings_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seller_sources" ADD CONSTRAINT "seller_sources_seller_org_id_orgs_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seller_sources" ADD CONSTRAINT "seller_sources_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payout_rules_source_uq" ON "payout_rules" USING btree ("seller_org_id",coalesce("vertical", ''));--> statement-breakpoint
CREATE UNIQUE INDEX "seller_payouts_lead_kind_uq" ON "seller_payouts" USING btree ("lead_id","kind");--> statement-breakpoint
CREATE INDEX "seller_payouts_seller_created_idx" ON "seller_payouts" USING btree ("seller_org_id","created_at");--> statement-breakpoint
CREATE INDEX "seller_pings_seller_created_idx" ON "seller_pings" USING btree ("seller_org_id","created_at");--> statement-breakpoint
CREATE INDEX "seller_pings_expires_idx" ON "seller_pings" USING btree ("expires_at");