ALTER TABLE "buyers" ADD COLUMN "request_template" jsonb;--> statement-breakpoint
ALTER TABLE "buyers" ADD COLUMN "request_auth_secret" text;