ALTER TYPE "public"."lost_reason" ADD VALUE 'SUPPRESSED' BEFORE 'OUTBID';--> statement-breakpoint
CREATE TABLE "dnc_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"file_name" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lines" integer NOT NULL,
	"added" integer NOT NULL,
	"refused" integer NOT NULL,
	"ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dnc_numbers" (
	"number" bigint PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suppression_uploads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"buyer_id" uuid,
	"file_name" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"lines" integer DEFAULT 0 NOT NULL,
	"added" integer DEFAULT 0 NOT NULL,
	"already_listed" integer DEFAULT 0 NOT NULL,
	"refused" integer DEFAULT 0 NOT NULL,
	"refusals" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suppressions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"buyer_id" uuid,
	"kind" text NOT NULL,
	"hash" text NOT NULL,
	"source" text NOT NULL,
	"upload_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppressions_hash_buyer_uq" UNIQUE NULLS NOT DISTINCT("hash","buyer_id"),
	CONSTRAINT "suppressions_kind_ck" CHECK ("suppressions"."kind" in ('PHONE', 'EMAIL')),
	CONSTRAINT "suppressions_source_ck" CHECK ("suppressions"."source" in ('UPLOAD', 'DO_NOT_CONTACT'))
);
--> statement-breakpoint
ALTER TABLE "verticals" ADD COLUMN "check_suppression" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "verticals" ADD COLUMN "check_dnc" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "verticals" ADD COLUMN "check_litigator" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "dnc_imports" ADD CONSTRAINT "dnc_imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suppression_uploads" ADD CONSTRAINT "suppression_uploads_buyer_id_buyers_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."buyers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suppression_uploads" ADD CONSTRAINT "suppression_uploads_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_buyer_id_buyers_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."buyers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_upload_id_suppression_uploads_id_fk" FOREIGN KEY ("upload_id") REFERENCES "public"."suppression_uploads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "suppression_uploads_created_idx" ON "suppression_uploads" USING btree ("created_at");