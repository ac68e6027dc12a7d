CREATE TABLE "analytics_delivery_daily" (
	"day" date NOT NULL,
	"vertical" text NOT NULL,
	"buyer_id" uuid NOT NULL,
	"method" "delivery_method" NOT NULL,
	"mode" "delivery_mode" NOT NULL,
	"status" "delivery_status" NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "analytics_delivery_daily_day_vertical_buyer_id_method_mode_status_pk" PRIMARY KEY("day","vertical","buyer_id","method","mode","status")
);
--> statement-breakpoint
CREATE TABLE "analytics_lead_daily" (
	"day" date NOT NULL,
	"vertical" text NOT NULL,
	"leads" integer NOT NULL,
	"sold" integer NOT NULL,
	"unsold" integer NOT NULL,
	"rejected" integer NOT NULL,
	"revenue_cents" bigint NOT NULL,
	"unsold_reasons" integer[] DEFAULT '{}'::int[] NOT NULL,
	CONSTRAINT "analytics_lead_daily_day_vertical_pk" PRIMARY KEY("day","vertical")
);
--> statement-breakpoint
CREATE TABLE "analytics_rollup_state" (
	"name" text PRIMARY KEY NOT NULL,
	"through" date NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_tx_daily" (
	"day" date NOT NULL,
	"vertical" text NOT NULL,
	"buyer_id" uuid NOT NULL,
	"asked" integer NOT NULL,
	"pings" integer NOT NULL,
	"bids" integer NOT NULL,
	"wins" integer NOT NULL,
	"spent_cents" bigint NOT NULL,
	"timeouts" integer NOT NULL,
	"errors" integer NOT NULL,
	"posts" integer NOT NULL,
	"posts_rejected" integer NOT NULL,
	"latency_count" integer NOT NULL,
	"latency_sum_ms" bigint NOT NULL,
	"latency_bands" integer[] DEFAULT '{}'::int[] NOT NULL,
	"lost" integer[] DEFAULT '{}'::int[] NOT NULL,
	"posts_won_at" integer[] DEFAULT '{}'::int[] NOT NULL,
	"posts_lost_at" integer[] DEFAULT '{}'::int[] NOT NULL,
	CONSTRAINT "analytics_tx_daily_day_vertical_buyer_id_pk" PRIMARY KEY("day","vertical","buyer_id")
);
--> statement-breakpoint
ALTER TABLE "analytics_delivery_daily" ADD CONSTRAINT "analytics_delivery_daily_buyer_id_buyers_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."buyers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_tx_daily" ADD CONSTRAINT "analytics_tx_daily_buyer_id_buyers_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."buyers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deliveries_created_idx" ON "deliveries" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "transactions_created_idx" ON "transactions" USING btree ("created_at");