ALTER TABLE "verticals" ADD COLUMN "retention_days" integer;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "phone_hash" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "email_hash" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "purged_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "leads_phone_hash_idx" ON "leads" USING btree ("phone_hash") WHERE "leads"."phone_hash" is not null;--> statement-breakpoint
CREATE INDEX "leads_email_hash_idx" ON "leads" USING btree ("email_hash") WHERE "leads"."email_hash" is not null;--> statement-breakpoint
ALTER TABLE "verticals" ADD CONSTRAINT "verticals_retention_days_ck" CHECK ("retention_days" IS NULL OR "retention_days" BETWEEN 1 AND 3650);
