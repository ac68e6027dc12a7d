// An auction that fails after a contractor's sale was written (here: its final write is refused
// by the database) must still end the lead with what was sold, and send the contractor the lead
// it is charged for: finalize, which writes the deliveries, never ran to the end.
import { closeBuyerAgent, createLead, parseIntake, runAuction } from "@leadflow/api";
import { deliveries, leads, notifications } from "@leadflow/db";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addContractor, eventsOf, leadBody, makeWorld, txOf, type World } from "./world";

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});
afterAll(async () => {
  await w?.close();
  await closeBuyerAgent();
});

describe("an auction that fails after a sale", () => {
  it("ends the lead SOLD, records why, and delivers to the contractor that was charged", async () => {
    const fixed = await addContractor(w, { pricingModel: "FIXED", fixedLeadPriceCents: 4000 });
    // The outcome event is part of finalize's single statement: refusing it fails finalize whole.
    await w.t.db.execute(sql`
      create function refuse_outcome() returns trigger language plpgsql as $$
      begin if new.kind = 'outcome' then raise exception 'disk full (simulated)'; end if; return new; end $$`);
    await w.t.db.execute(
      sql`create trigger refuse_outcome before insert on lead_events for each row execute function refuse_outcome()`,
    );
    try {
      const { id } = await createLead(w.s, w.sellerOrgId, parseIntake(leadBody()));
      const run = await runAuction(w.s, id);
      expect(run.ran).toBe(true);
      expect(run.outcome).toBeNull();

      const [lead] = await w.t.db.select().from(leads).where(eq(leads.id, id));
      expect(lead).toMatchObject({ status: "SOLD", winnerCount: 1, revenueCents: 4000 });
      expect((await txOf(w, id)).get(fixed)).toMatchObject({ isWinner: true, priceCents: 4000 });
      const errors = (await eventsOf(w, id)).filter((e) => e.kind === "error").map((e) => String(e.data.error));
      expect(errors.some((e) => e.includes("disk full"))).toBe(true);
      expect(errors.some((e) => e.includes("ended with what was sold"))).toBe(true);
      const owed = await w.t.db.select().from(deliveries).where(eq(deliveries.leadId, id));
      expect(owed.map((d) => d.method)).toEqual(["DASHBOARD"]);
      expect(owed[0]!.status).toBe("delivered");
      expect(await w.t.db.select().from(notifications).where(eq(notifications.leadId, id))).toHaveLength(1);
    } finally {
      await w.t.db.execute(sql`drop trigger refuse_outcome on lead_events`);
    }
  });
});
