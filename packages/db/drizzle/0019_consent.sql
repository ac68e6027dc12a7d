CREATE TYPE "public"."consent_claim_status" AS ENUM('CLAIMED', 'FAILED', 'ERROR');--> statement-breakpoint
ALTER TYPE "public"."lost_reason" ADD VALUE 'VALIDATION_FAILED' BEFORE 'OUTBID';--> statement-breakpoint
CREATE TABLE "inquiry_consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"market_lead_id" uuid NOT NULL,
	"text_version" text NOT NULL,
	"text_sha256" text NOT NULL,
	"text" text NOT NULL,
	"ticked" jsonb NOT NULL,
	"ip" text,
	"user_agent" text,
	"page_url" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lead_consent_claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid NOT NULL,
	"provider" "compliance_requirement" NOT NULL,
	"stage" text NOT NULL,
	"status" "consent_claim_status" NOT NULL,
	"evidence" text NOT NULL,
	"outcome" text,
	"retained_until" timestamp with time zone,
	"page_url" text,
	"matched" boolean,
	"names_buyer" boolean,
	"error" text,
	"response" text,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "buyers" ADD COLUMN "require_claimed_consent" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "buyers" ADD COLUMN "refuse_invalid_phone" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "buyers" ADD COLUMN "refuse_disposable_email" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "validation" jsonb;--> statement-breakpoint
ALTER TABLE "inquiry_consents" ADD CONSTRAINT "inquiry_consents_market_lead_id_market_leads_id_fk" FOREIGN KEY ("market_lead_id") REFERENCES "public"."market_leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_consent_claims" ADD CONSTRAINT "lead_consent_claims_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inquiry_consents_lead_idx" ON "inquiry_consents" USING btree ("market_lead_id");--> statement-breakpoint
CREATE UNIQUE INDEX "lead_consent_claims_lead_provider_uq" ON "lead_consent_claims" USING btree ("lead_id","provider");