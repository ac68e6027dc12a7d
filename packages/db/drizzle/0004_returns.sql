CREATE TYPE "public"."return_reason" AS ENUM('INVALID_PHONE', 'INVALID_EMAIL', 'DUPLICATE', 'OUTSIDE_SERVICE_AREA', 'FAKE_OR_TEST', 'CONSUMER_DENIES', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."return_rule" AS ENUM('VERIFIED_DUPLICATE', 'VERIFIED_INVALID_PHONE', 'WITHIN_CAP', 'OVER_CAP', 'ADMIN');--> statement-breakpoint
CREATE TYPE "public"."return_status" AS ENUM('PENDING', 'APPROVED', 'DENIED');--> statement-breakpoint
CREATE TABLE "return_credits" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "return_credits_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"sale_id" uuid NOT NULL,
	"return_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"amount_cents" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "return_credits_amount_nonneg" CHECK ("return_credits"."amount_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "return_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sale_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"buyer_id" uuid NOT NULL,
	"reason" "return_reason" NOT NULL,
	"comment" text,
	"via" text NOT NULL,
	"requested_by" uuid,
	"price_cents" integer NOT NULL,
	"status" "return_status" NOT NULL,
	"rule" "return_rule" NOT NULL,
	"rule_detail" text NOT NULL,
	"decided_by" uuid,
	"decision_note" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "return_requests_price_nonneg" CHECK ("return_requests"."price_cents" >= 0)
);
--> statement-breakpoint
ALTER TABLE "buyers" ADD COLUMN "return_window_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "buyers" ADD COLUMN "return_cap_percent" integer DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE "buyers" ADD COLUMN "return_rate_bp" integer;--> statement-breakpoint
ALTER TABLE "verticals" ADD COLUMN "rank_net_of_returns" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "return_credits" ADD CONSTRAINT "return_credits_sale_id_transactions_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."transactions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_credits" ADD CONSTRAINT "return_credits_return_id_return_requests_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."return_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_credits" ADD CONSTRAINT "return_credits_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_credits" ADD CONSTRAINT "return_credits_buyer_id_buyers_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."buyers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_requests" ADD CONSTRAINT "return_requests_sale_id_transactions_id_fk" FOREIGN KEY ("sale_id") REFERENCES "public"."transactions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_requests" ADD CONSTRAINT "return_requests_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_requests" ADD CONSTRAINT "return_requests_buyer_id_buyers_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."buyers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_requests" ADD CONSTRAINT "return_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_requests" ADD CONSTRAINT "return_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "return_credits_sale_uq" ON "return_credits" USING btree ("sale_id");--> statement-breakpoint
CREATE UNIQUE INDEX "return_credits_return_uq" ON "return_credits" USING btree ("return_id");--> statement-breakpoint
CREATE INDEX "return_credits_buyer_created_idx" ON "return_credits" USING btree ("buyer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "return_requests_sale_uq" ON "return_requests" USING btree ("sale_id");--> statement-breakpoint
CREATE INDEX "return_requests_buyer_created_idx" ON "return_requests" USING btree ("buyer_id","created_at");--> statement-breakpoint
CREATE INDEX "return_requests_status_idx" ON "return_requests" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "return_requests_lead_idx" ON "return_requests" USING btree ("lead_id");--> statement-breakpoint
ALTER TABLE "buyers" ADD CONSTRAINT "buyers_returns" CHECK ("buyers"."return_window_days" between 0 and 90 and "buyers"."return_cap_percent" between 0 and 100);