CREATE TABLE "buyer_config_version" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" bigint DEFAULT 1 NOT NULL,
	CONSTRAINT "buyer_config_version_singleton" CHECK ("buyer_config_version"."id" = 1)
);
--> statement-breakpoint
INSERT INTO "buyer_config_version" ("id", "version") VALUES (1, 1) ON CONFLICT DO NOTHING;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "bump_buyer_config_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "buyer_config_version" SET "version" = "version" + 1 WHERE "id" = 1;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "buyers_config_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "buyers" FOR EACH STATEMENT EXECUTE FUNCTION "bump_buyer_config_version"();--> statement-breakpoint
CREATE TRIGGER "buyer_zips_config_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "buyer_zips" FOR EACH STATEMENT EXECUTE FUNCTION "bump_buyer_config_version"();--> statement-breakpoint
CREATE TRIGGER "verticals_config_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "verticals" FOR EACH STATEMENT EXECUTE FUNCTION "bump_buyer_config_version"();
