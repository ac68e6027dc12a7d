ALTER TABLE "dj_availability" ADD COLUMN "held_by_lead_id" uuid;--> statement-breakpoint
ALTER TABLE "dj_availability" ADD COLUMN "held_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "dj_availability" ADD CONSTRAINT "dj_availability_held_by_lead_id_market_leads_id_fk" FOREIGN KEY ("held_by_lead_id") REFERENCES "public"."market_leads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dj_availability_held_idx" ON "dj_availability" USING btree ("held_by_lead_id") WHERE "dj_availability"."held_by_lead_id" is not null;--> statement-breakpoint
ALTER TABLE "dj_availability" ADD CONSTRAINT "dj_availability_held_offerable" CHECK ("dj_availability"."held_by_lead_id" is null or "dj_availability"."status" in ('available', 'tentative'));--> statement-breakpoint
-- Issue 17, item 2: a DJ who accepted an offer holds the lead's date. Backfill: every accepted
-- offer on a lead still open holds its DJ's date (the earliest acceptance wins where one DJ
-- accepted two leads of one date before this migration); a date booked or marked unavailable is
-- left as it is.
INSERT INTO "dj_availability" ("dj_id", "date", "status", "held_by_lead_id", "held_at", "updated_at")
SELECT DISTINCT ON (a."dj_id", l."event_date") a."dj_id", l."event_date", 'available', l."id", coalesce(a."responded_at", now()), now()
FROM "lead_assignments" a JOIN "market_leads" l ON l."id" = a."lead_id"
WHERE a."status" = 'accepted' AND l."state" NOT IN ('converted', 'closed') AND l."event_date" >= current_date
ORDER BY a."dj_id", l."event_date", a."responded_at" NULLS LAST, l."id"
ON CONFLICT ("dj_id", "date") DO UPDATE
  SET "held_by_lead_id" = excluded."held_by_lead_id", "held_at" = excluded."held_at"
  WHERE "dj_availability"."status" IN ('available', 'tentative') AND "dj_availability"."held_by_lead_id" IS NULL;
--> statement-breakpoint
-- However a lead ends (booked, closed by the couple, by an admin, by the event passing), the dates
-- held for it are free again; the booked DJ's date is marked booked by the booking itself.
CREATE OR REPLACE FUNCTION "market_lead_release_holds"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "dj_availability" SET "held_by_lead_id" = NULL, "held_at" = NULL WHERE "held_by_lead_id" = NEW."id";
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "market_leads_release_holds" AFTER UPDATE OF "state" ON "market_leads"
  FOR EACH ROW WHEN (NEW."state" IN ('converted', 'closed') AND OLD."state" IS DISTINCT FROM NEW."state")
  EXECUTE FUNCTION "market_lead_release_holds"();
