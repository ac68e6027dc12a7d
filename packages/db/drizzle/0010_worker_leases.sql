CREATE TABLE "worker_leases" (
	"owner" uuid PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"pid" integer,
	"host" text
);
--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "processing_owner" uuid;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "auction_attempt" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- claim_sale (0008) with the run's attempt (p_attempt): a sale is refused unless the lead is still
-- on the attempt that asks, so a run a process was thought dead in (its lease expired, the lead
-- re-run elsewhere) can never sell it. NULL skips the check (callers outside an auction run).
-- Everything else is 0008's; the return gains r_attempt, the lead's current attempt.
DROP FUNCTION IF EXISTS "claim_sale"(uuid, uuid, transaction_kind, integer, integer, integer, timestamptz, integer, integer, integer, integer, timestamptz, timestamptz, timestamptz, timestamptz);--> statement-breakpoint
CREATE OR REPLACE FUNCTION "claim_sale"(
  p_lead uuid, p_buyer uuid, p_kind transaction_kind, p_price integer, p_bid integer, p_position integer,
  p_at timestamptz, p_limit integer,
  p_cap_day integer, p_cap_week integer, p_cap_month integer,
  p_day timestamptz, p_week timestamptz, p_month timestamptz, p_back timestamptz, p_attempt integer
) RETURNS TABLE (r_refused text, r_status lead_status, r_winners integer, r_today bigint, r_week bigint, r_month bigint, r_dup boolean, r_attempt integer)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_lead record;
  v_capped boolean := p_cap_day IS NOT NULL OR p_cap_week IS NOT NULL OR p_cap_month IS NOT NULL;
  v_key bigint;
  v_today bigint := 0;
  v_week bigint := 0;
  v_month bigint := 0;
  v_dup boolean := false;
BEGIN
  SELECT l.status, l.winner_count, l.phone_normalized, l.email_normalized, l.auction_attempt INTO v_lead
  FROM leads l WHERE l.id = p_lead FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'lead'::text, NULL::lead_status, 0, 0::bigint, 0::bigint, 0::bigint, false, NULL::integer;
    RETURN;
  END IF;
  IF v_lead.status <> 'PROCESSING' OR v_lead.winner_count >= p_limit OR v_lead.auction_attempt IS DISTINCT FROM coalesce(p_attempt, v_lead.auction_attempt) THEN
    RETURN QUERY SELECT 'lead'::text, v_lead.status, v_lead.winner_count, 0::bigint, 0::bigint, 0::bigint, false, v_lead.auction_attempt;
    RETURN;
  END IF;
  IF v_capped THEN
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
  IF (p_cap_day IS NOT NULL AND v_today >= p_cap_day) OR (p_cap_week IS NOT NULL AND v_week >= p_cap_week)
    OR (p_cap_month IS NOT NULL AND v_month >= p_cap_month) OR v_dup THEN
    RETURN QUERY SELECT 'rules'::text, v_lead.status, v_lead.winner_count, v_today, v_week, v_month, v_dup, v_lead.auction_attempt;
    RETURN;
  END IF;
  INSERT INTO transactions (lead_id, buyer_id, kind, is_winner, price_cents, bid_cents, cascade_position, created_at)
  VALUES (p_lead, p_buyer, p_kind, true, p_price, p_bid, p_position, p_at)
  ON CONFLICT (lead_id, buyer_id) DO UPDATE SET kind = excluded.kind, is_winner = true, price_cents = excluded.price_cents,
    bid_cents = excluded.bid_cents, cascade_position = excluded.cascade_position, created_at = excluded.created_at;
  UPDATE leads SET winner_count = winner_count + 1, revenue_cents = revenue_cents + p_price WHERE id = p_lead;
  RETURN QUERY SELECT NULL::text, v_lead.status, v_lead.winner_count + 1, v_today, v_week, v_month, v_dup, v_lead.auction_attempt;
END
$$;
