CREATE TYPE "public"."billing_mode" AS ENUM('PREPAID', 'CREDIT_LIMIT', 'INVOICED');--> statement-breakpoint
CREATE TYPE "public"."buyer_ledger_kind" AS ENUM('TOP_UP', 'CHARGE', 'RELEASE', 'RETURN_CREDIT');--> statement-breakpoint
ALTER TYPE "public"."lost_reason" ADD VALUE 'INSUFFICIENT_FUNDS' BEFORE 'CASCADE_EXHAUSTED';--> statement-breakpoint
CREATE TABLE "buyer_balances" (
	"buyer_id" uuid PRIMARY KEY NOT NULL,
	"balance_cents" bigint DEFAULT 0 NOT NULL,
	"low_crossings" integer DEFAULT 0 NOT NULL,
	"low_notified" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "buyer_ledger" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "buyer_ledger_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"buyer_id" uuid NOT NULL,
	"kind" "buyer_ledger_kind" NOT NULL,
	"amount_cents" bigint NOT NULL,
	"transaction_id" uuid,
	"lead_id" uuid,
	"return_id" uuid,
	"note" text,
	"idempotency_key" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "buyer_ledger_sign" CHECK (("buyer_ledger"."kind" in ('TOP_UP', 'RELEASE', 'RETURN_CREDIT') and "buyer_ledger"."amount_cents" >= 0) or ("buyer_ledger"."kind" = 'CHARGE' and "buyer_ledger"."amount_cents" <= 0))
);
--> statement-breakpoint
ALTER TABLE "buyers" ADD COLUMN "billing_mode" "billing_mode" DEFAULT 'INVOICED' NOT NULL;--> statement-breakpoint
ALTER TABLE "buyers" ADD COLUMN "credit_limit_cents" integer;--> statement-breakpoint
ALTER TABLE "buyers" ADD COLUMN "low_balance_threshold_cents" integer;--> statement-breakpoint
ALTER TABLE "buyers" ADD COLUMN "budget_daily_cents" integer;--> statement-breakpoint
ALTER TABLE "buyers" ADD COLUMN "budget_monthly_cents" integer;--> statement-breakpoint
ALTER TABLE "buyer_balances" ADD CONSTRAINT "buyer_balances_buyer_id_buyers_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."buyers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buyer_ledger" ADD CONSTRAINT "buyer_ledger_buyer_id_buyers_id_fk" FOREIGN KEY ("buyer_id") REFERENCES "public"."buyers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "buyer_ledger_buyer_created_idx" ON "buyer_ledger" USING btree ("buyer_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "buyer_ledger_idempotency_uq" ON "buyer_ledger" USING btree ("buyer_id","idempotency_key");--> statement-breakpoint
ALTER TABLE "buyers" ADD CONSTRAINT "buyers_billing_nonneg" CHECK (coalesce("buyers"."credit_limit_cents", 0) >= 0 and coalesce("buyers"."budget_daily_cents", 0) >= 0 and coalesce("buyers"."budget_monthly_cents", 0) >= 0);--> statement-breakpoint
-- The ledger is append-only: no entry is ever changed or removed. (A buyer's deletion cascades to
-- its entries; that alone is let through, when the buyer is already gone.)
CREATE OR REPLACE FUNCTION "buyer_ledger_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM buyers b WHERE b.id = OLD.buyer_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'buyer_ledger is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END
$$;--> statement-breakpoint
CREATE TRIGGER "buyer_ledger_no_update" BEFORE UPDATE OR DELETE ON "buyer_ledger" FOR EACH ROW EXECUTE FUNCTION "buyer_ledger_immutable"();--> statement-breakpoint
-- Each entry moves the buyer's balance in the same transaction (the row is locked by the upsert,
-- so concurrent entries add up one after another). AFTER INSERT: a row an ON CONFLICT DO NOTHING
-- skips (a repeated top-up) moves nothing. A fall from at or above the buyer's low-balance
-- threshold to under it counts one crossing (one email).
CREATE OR REPLACE FUNCTION "buyer_ledger_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_new bigint;
  v_threshold integer;
BEGIN
  INSERT INTO buyer_balances AS b (buyer_id, balance_cents, updated_at) VALUES (NEW.buyer_id, NEW.amount_cents, NEW.created_at)
  ON CONFLICT (buyer_id) DO UPDATE SET balance_cents = b.balance_cents + excluded.balance_cents, updated_at = excluded.updated_at
  RETURNING b.balance_cents INTO v_new;
  IF NEW.amount_cents < 0 THEN
    SELECT low_balance_threshold_cents INTO v_threshold FROM buyers WHERE id = NEW.buyer_id;
    IF v_threshold IS NOT NULL AND v_new < v_threshold AND v_new - NEW.amount_cents >= v_threshold THEN
      UPDATE buyer_balances SET low_crossings = low_crossings + 1 WHERE buyer_id = NEW.buyer_id;
    END IF;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "buyer_ledger_apply" AFTER INSERT ON "buyer_ledger" FOR EACH ROW EXECUTE FUNCTION "buyer_ledger_apply"();--> statement-breakpoint
-- Every sale charges its buyer, wherever it is written (claim_sale, the result, a sweep), and a
-- sale undone (its POST refused: is_winner back to false) is released, so the ledger follows the
-- transactions exactly.
CREATE OR REPLACE FUNCTION "transactions_charge"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A sale undone or repriced gives back what it was charged; a sale (again) is charged its price.
  IF TG_OP = 'UPDATE' AND OLD.is_winner THEN
    INSERT INTO buyer_ledger (buyer_id, kind, amount_cents, transaction_id, lead_id, created_at)
    VALUES (NEW.buyer_id, 'RELEASE', coalesce(OLD.price_cents, 0), NEW.id, NEW.lead_id, greatest(now(), OLD.created_at));
  END IF;
  IF NEW.is_winner THEN
    INSERT INTO buyer_ledger (buyer_id, kind, amount_cents, transaction_id, lead_id, created_at)
    VALUES (NEW.buyer_id, 'CHARGE', -coalesce(NEW.price_cents, 0), NEW.id, NEW.lead_id, NEW.created_at);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "transactions_charge_insert" AFTER INSERT ON "transactions" FOR EACH ROW WHEN (NEW.is_winner) EXECUTE FUNCTION "transactions_charge"();--> statement-breakpoint
CREATE TRIGGER "transactions_charge_update" AFTER UPDATE OF "is_winner", "price_cents" ON "transactions" FOR EACH ROW
  WHEN (OLD.is_winner IS DISTINCT FROM NEW.is_winner OR (NEW.is_winner AND OLD.price_cents IS DISTINCT FROM NEW.price_cents))
  EXECUTE FUNCTION "transactions_charge"();--> statement-breakpoint
-- An approved return's credit (return_credits: one per sale) is credited on the ledger.
CREATE OR REPLACE FUNCTION "return_credits_ledger"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO buyer_ledger (buyer_id, kind, amount_cents, transaction_id, lead_id, return_id, created_at)
  VALUES (NEW.buyer_id, 'RETURN_CREDIT', NEW.amount_cents, NEW.sale_id, NEW.lead_id, NEW.return_id, NEW.created_at);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "return_credits_ledger" AFTER INSERT ON "return_credits" FOR EACH ROW EXECUTE FUNCTION "return_credits_ledger"();--> statement-breakpoint
-- Existing sales and credits, in the order they happened, so every balance starts equal to its history.
INSERT INTO buyer_ledger (buyer_id, kind, amount_cents, transaction_id, lead_id, return_id, created_at)
SELECT buyer_id, kind::buyer_ledger_kind, amount, tx, lead, ret, at FROM (
  SELECT t.buyer_id, 'CHARGE' AS kind, -coalesce(t.price_cents, 0)::bigint AS amount, t.id AS tx, t.lead_id AS lead, NULL::uuid AS ret, t.created_at AS at
  FROM transactions t WHERE t.is_winner
  UNION ALL
  SELECT c.buyer_id, 'RETURN_CREDIT', c.amount_cents, c.sale_id, c.lead_id, c.return_id, c.created_at FROM return_credits c
) h ORDER BY at;--> statement-breakpoint
-- claim_sale (0010) with the buyer's money: a buyer with a billing mode other than INVOICED or a
-- money budget (p_money) is locked like a capped one (its row, so its sales are decided one at a
-- time), and under that lock its balance (buyer_balances) and its spend in its local day and
-- month are read afresh. The sale is refused ('rules') when a budget would be passed (spent >=
-- budget, or spent + price > budget) or, PREPAID, the balance would go below zero, CREDIT_LIMIT,
-- below minus the limit (available <= 0 or price > available): the engine's checkSaleRules, the
-- twin held to it by sale-rules.property.test.ts, names the reason (CAP_REACHED,
-- INSUFFICIENT_FUNDS). The sale's charge is written by the transactions_charge trigger in this
-- same transaction. The return gains r_balance, r_spent_day, r_spent_month.
DROP FUNCTION IF EXISTS "claim_sale"(uuid, uuid, transaction_kind, integer, integer, integer, timestamptz, integer, integer, integer, integer, timestamptz, timestamptz, timestamptz, timestamptz, integer);--> statement-breakpoint
CREATE OR REPLACE FUNCTION "claim_sale"(
  p_lead uuid, p_buyer uuid, p_kind transaction_kind, p_price integer, p_bid integer, p_position integer,
  p_at timestamptz, p_limit integer,
  p_cap_day integer, p_cap_week integer, p_cap_month integer,
  p_day timestamptz, p_week timestamptz, p_month timestamptz, p_back timestamptz, p_attempt integer,
  p_mode billing_mode, p_credit_limit integer, p_budget_day integer, p_budget_month integer
) RETURNS TABLE (r_refused text, r_status lead_status, r_winners integer, r_today bigint, r_week bigint, r_month bigint, r_dup boolean, r_attempt integer,
  r_balance bigint, r_spent_day bigint, r_spent_month bigint)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_lead record;
  v_money boolean := coalesce(p_mode, 'INVOICED') <> 'INVOICED' OR p_budget_day IS NOT NULL OR p_budget_month IS NOT NULL;
  v_capped boolean := p_cap_day IS NOT NULL OR p_cap_week IS NOT NULL OR p_cap_month IS NOT NULL;
  v_key bigint;
  v_today bigint := 0;
  v_week bigint := 0;
  v_month bigint := 0;
  v_dup boolean := false;
  v_balance bigint := 0;
  v_spent_day bigint := 0;
  v_spent_month bigint := 0;
  v_avail bigint;
BEGIN
  SELECT l.status, l.winner_count, l.phone_normalized, l.email_normalized, l.auction_attempt INTO v_lead
  FROM leads l WHERE l.id = p_lead FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'lead'::text, NULL::lead_status, 0, 0::bigint, 0::bigint, 0::bigint, false, NULL::integer, 0::bigint, 0::bigint, 0::bigint;
    RETURN;
  END IF;
  IF v_lead.status <> 'PROCESSING' OR v_lead.winner_count >= p_limit OR v_lead.auction_attempt IS DISTINCT FROM coalesce(p_attempt, v_lead.auction_attempt) THEN
    RETURN QUERY SELECT 'lead'::text, v_lead.status, v_lead.winner_count, 0::bigint, 0::bigint, 0::bigint, false, v_lead.auction_attempt, 0::bigint, 0::bigint, 0::bigint;
    RETURN;
  END IF;
  IF v_capped OR v_money THEN
    PERFORM 1 FROM buyers b WHERE b.id = p_buyer FOR NO KEY UPDATE;
  ELSIF p_back IS NOT NULL THEN
    FOR v_key IN
      SELECT DISTINCT hashtextextended(p_buyer::text || k, 0) AS h
      FROM unnest(ARRAY['p:' || v_lead.phone_normalized, 'e:' || v_lead.email_normalized]) AS k
      WHERE k IS NOT NULL ORDER BY 1
    LOOP
      PERFORM pg_advisory_xact_lock(v_key);
    END LOOP;
  END IF;
  -- A new statement, so a new snapshot: it sees every sale committed before our locks.
  IF v_capped THEN
    SELECT count(*) FILTER (WHERE t.created_at >= p_day), count(*) FILTER (WHERE t.created_at >= p_week),
      count(*) FILTER (WHERE t.created_at >= p_month)
    INTO v_today, v_week, v_month
    FROM transactions t WHERE t.buyer_id = p_buyer AND t.is_winner AND t.created_at >= least(p_day, p_week, p_month);
  END IF;
  IF v_money THEN
    SELECT coalesce((SELECT b.balance_cents FROM buyer_balances b WHERE b.buyer_id = p_buyer), 0) INTO v_balance;
    IF p_budget_day IS NOT NULL OR p_budget_month IS NOT NULL THEN
      SELECT coalesce(sum(t.price_cents) FILTER (WHERE t.created_at >= p_day), 0), coalesce(sum(t.price_cents) FILTER (WHERE t.created_at >= p_month), 0)
      INTO v_spent_day, v_spent_month
      FROM transactions t WHERE t.buyer_id = p_buyer AND t.is_winner AND t.created_at >= least(p_day, p_month);
    END IF;
  END IF;
  IF p_back IS NOT NULL THEN
    -- From the person's side (their other leads by phone or email: usually none), then this
    -- buyer's row on each (LATERAL, so the plan cannot start from the buyer's sales instead), so
    -- the cost does not grow with the buyer's history.
    SELECT EXISTS (
      SELECT 1
      FROM (SELECT d.id FROM leads d WHERE d.phone_normalized = v_lead.phone_normalized AND d.id <> p_lead
            UNION SELECT d.id FROM leads d WHERE d.email_normalized = v_lead.email_normalized AND d.id <> p_lead) p
      CROSS JOIN LATERAL (
        SELECT 1 FROM transactions t WHERE t.lead_id = p.id AND t.buyer_id = p_buyer AND t.is_winner AND t.created_at >= p_back LIMIT 1
      ) w
    ) INTO v_dup;
  END IF;
  v_avail := CASE coalesce(p_mode, 'INVOICED') WHEN 'PREPAID' THEN v_balance WHEN 'CREDIT_LIMIT' THEN v_balance + coalesce(p_credit_limit, 0) ELSE NULL END;
  IF (p_cap_day IS NOT NULL AND v_today >= p_cap_day) OR (p_cap_week IS NOT NULL AND v_week >= p_cap_week)
    OR (p_cap_month IS NOT NULL AND v_month >= p_cap_month) OR v_dup
    OR (p_budget_day IS NOT NULL AND (v_spent_day >= p_budget_day OR v_spent_day + p_price > p_budget_day))
    OR (p_budget_month IS NOT NULL AND (v_spent_month >= p_budget_month OR v_spent_month + p_price > p_budget_month))
    OR (v_avail IS NOT NULL AND (v_avail <= 0 OR p_price > v_avail)) THEN
    RETURN QUERY SELECT 'rules'::text, v_lead.status, v_lead.winner_count, v_today, v_week, v_month, v_dup, v_lead.auction_attempt, v_balance, v_spent_day, v_spent_month;
    RETURN;
  END IF;
  INSERT INTO transactions (lead_id, buyer_id, kind, is_winner, price_cents, bid_cents, cascade_position, created_at)
  VALUES (p_lead, p_buyer, p_kind, true, p_price, p_bid, p_position, p_at)
  ON CONFLICT (lead_id, buyer_id) DO UPDATE SET kind = excluded.kind, is_winner = true, price_cents = excluded.price_cents,
    bid_cents = excluded.bid_cents, cascade_position = excluded.cascade_position, created_at = excluded.created_at;
  UPDATE leads SET winner_count = winner_count + 1, revenue_cents = revenue_cents + p_price WHERE id = p_lead;
  RETURN QUERY SELECT NULL::text, v_lead.status, v_lead.winner_count + 1, v_today, v_week, v_month, v_dup, v_lead.auction_attempt, v_balance - p_price, v_spent_day + p_price, v_spent_month + p_price;
END
$$;
