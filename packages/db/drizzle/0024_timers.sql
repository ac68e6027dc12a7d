ALTER TABLE "market_leads" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "market_settings" ADD COLUMN "city_windows" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "market_leads_due_idx" ON "market_leads" USING btree ("due_at") WHERE "market_leads"."due_at" is not null;--> statement-breakpoint
-- Backfill: leads that still wait on a phase timer (an open phase, or accepted with offers still open) are due at their phase's end.
UPDATE "market_leads" l SET "due_at" = l."phase_ends_at"
WHERE l."phase_ends_at" IS NOT NULL
  AND (l."state" IN ('exclusive', 'tier_expansion', 'broadcast')
    OR (l."state" = 'accepted' AND EXISTS (SELECT 1 FROM "lead_assignments" a WHERE a."lead_id" = l."id" AND a."status" = 'offered')));
