CREATE TYPE "public"."seller_event_type" AS ENUM('lead.sold', 'lead.unsold', 'lead.returned', 'webhook.test');--> statement-breakpoint
CREATE TABLE "seller_webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seller_org_id" uuid NOT NULL,
	"lead_id" uuid,
	"return_id" uuid,
	"event_type" "seller_event_type" NOT NULL,
	"webhook_id" text NOT NULL,
	"body" jsonb,
	"status" "delivery_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_status_code" integer,
	"next_attempt_at" timestamp with time zone,
	"locked_until" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "seller_webhooks" (
	"seller_org_id" uuid PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"secret_rotated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "seller_webhook_deliveries" ADD CONSTRAINT "seller_webhook_deliveries_seller_org_id_orgs_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seller_webhook_deliveries" ADD CONSTRAINT "seller_webhook_deliveries_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seller_webhook_deliveries" ADD CONSTRAINT "seller_webhook_deliveries_return_id_return_requests_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."return_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seller_webhooks" ADD CONSTRAINT "seller_webhooks_seller_org_id_orgs_id_fk" FOREIGN KEY ("seller_org_id") REFERENCES "public"."orgs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "seller_webhooks" ADD CONSTRAINT "seller_webhooks_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "seller_webhook_deliveries_webhook_id_uq" ON "seller_webhook_deliveries" USING btree ("webhook_id");--> statement-breakpoint
CREATE UNIQUE INDEX "seller_webhook_deliveries_lead_event_uq" ON "seller_webhook_deliveries" USING btree ("lead_id","event_type") WHERE "seller_webhook_deliveries"."event_type" in ('lead.sold', 'lead.unsold');--> statement-breakpoint
CREATE UNIQUE INDEX "seller_webhook_deliveries_return_uq" ON "seller_webhook_deliveries" USING btree ("return_id") WHERE "seller_webhook_deliveries"."return_id" is not null;--> statement-breakpoint
CREATE INDEX "seller_webhook_deliveries_seller_created_idx" ON "seller_webhook_deliveries" USING btree ("seller_org_id","created_at");--> statement-breakpoint
CREATE INDEX "seller_webhook_deliveries_open_idx" ON "seller_webhook_deliveries" USING btree ("next_attempt_at") WHERE "seller_webhook_deliveries"."status" in ('pending', 'failed');--> statement-breakpoint
-- Seller status webhooks (docs/api.md "Seller status webhooks"): the event rows are written by
-- triggers in the transaction that ends a lead (SOLD → lead.sold; UNSOLD or REJECTED →
-- lead.unsold) or credits an approved return (lead.returned), for sellers that have a webhook
-- URL. Triggers rather than calls in the code: no path that ends a lead or credits a return can
-- forget the event, and an event exists exactly when its cause committed. The body is built by
-- the first attempt (the payout is recorded just after the lead ends) and then kept.
CREATE OR REPLACE FUNCTION leadflow_seller_lead_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO seller_webhook_deliveries (seller_org_id, lead_id, event_type, webhook_id)
  SELECT w.seller_org_id, NEW.id,
         (CASE WHEN NEW.status = 'SOLD' THEN 'lead.sold' ELSE 'lead.unsold' END)::seller_event_type,
         'msg_' || gen_random_uuid()::text
    FROM seller_webhooks w
   WHERE w.seller_org_id = NEW.seller_org_id
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER leads_seller_webhook AFTER INSERT OR UPDATE OF status ON leads
  FOR EACH ROW
  WHEN (NEW.status IN ('SOLD', 'UNSOLD', 'REJECTED'))
  EXECUTE FUNCTION leadflow_seller_lead_event();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION leadflow_seller_return_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO seller_webhook_deliveries (seller_org_id, lead_id, return_id, event_type, webhook_id)
  SELECT w.seller_org_id, NEW.lead_id, NEW.return_id, 'lead.returned', 'msg_' || gen_random_uuid()::text
    FROM leads l JOIN seller_webhooks w ON w.seller_org_id = l.seller_org_id
   WHERE l.id = NEW.lead_id
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER return_credits_seller_webhook AFTER INSERT ON return_credits
  FOR EACH ROW EXECUTE FUNCTION leadflow_seller_return_event();
