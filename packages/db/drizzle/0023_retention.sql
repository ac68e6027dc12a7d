CREATE TABLE "deletion_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	"by_phone" boolean NOT NULL,
	"by_email" boolean NOT NULL,
	"removed" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "verticals" ADD COLUMN "retention_days" integer;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "phone_hash" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "email_hash" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "purged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "deletion_requests" ADD CONSTRAINT "deletion_requests_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "leads_phone_hash_idx" ON "leads" USING btree ("phone_hash") WHERE "leads"."phone_hash" is not null;--> statement-breakpoint
CREATE INDEX "leads_email_hash_idx" ON "leads" USING btree ("email_hash") WHERE "leads"."email_hash" is not null;--> statement-breakpoint
ALTER TABLE "verticals" ADD CONSTRAINT "verticals_retention_days_ck" CHECK ("retention_days" IS NULL OR "retention_days" BETWEEN 1 AND 3650);
