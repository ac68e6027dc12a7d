-- Live updates (docs/architecture.md, "Live updates"): every insert or status change of a lead, an
-- offer, a delivery or a return sends a NOTIFY on leadflow_events when its transaction commits, so
-- every server process (each LISTENs once) can tell the dashboards concerned to refetch. Triggers
-- rather than calls in the code: no path that writes these rows can forget one. The payload holds
-- ids and the organisations concerned only; the dashboard refetches through access-checked calls.
CREATE OR REPLACE FUNCTION leadflow_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  org_ids uuid[];
  kind text := TG_ARGV[0];
BEGIN
  IF kind = 'lead' THEN
    org_ids := ARRAY[NEW.seller_org_id];
  ELSIF kind = 'offer' THEN
    org_ids := ARRAY(SELECT d.org_id FROM djs d WHERE d.id = NEW.dj_id AND d.org_id IS NOT NULL);
  ELSE
    -- A delivery or a return: the buyer's organisation, and the seller's (the lead's status follows).
    org_ids := ARRAY(
      SELECT b.org_id FROM buyers b WHERE b.id = NEW.buyer_id
      UNION SELECT l.seller_org_id FROM leads l WHERE l.id = NEW.lead_id
    );
  END IF;
  PERFORM pg_notify(
    'leadflow_events',
    json_build_object('kind', kind, 'id', NEW.id, 'orgIds', org_ids)::text
  );
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER leads_live AFTER INSERT OR UPDATE OF status ON leads
  FOR EACH ROW EXECUTE FUNCTION leadflow_notify_change('lead');
--> statement-breakpoint
CREATE TRIGGER lead_assignments_live AFTER INSERT OR UPDATE OF status ON lead_assignments
  FOR EACH ROW EXECUTE FUNCTION leadflow_notify_change('offer');
--> statement-breakpoint
CREATE TRIGGER deliveries_live AFTER INSERT OR UPDATE OF status ON deliveries
  FOR EACH ROW EXECUTE FUNCTION leadflow_notify_change('delivery');
--> statement-breakpoint
CREATE TRIGGER return_requests_live AFTER INSERT OR UPDATE OF status ON return_requests
  FOR EACH ROW EXECUTE FUNCTION leadflow_notify_change('return');
