// The auction keeps each vertical's buyer set in memory (load.ts, buyerSet) and trusts it only for
// the buyer-configuration version it was read at. These tests change buyers, zips and verticals
// between auctions the ways the dashboard and the import do, and check the very next auction sees
// each change; and that an unchanged configuration is not read again.
import { closeBuyerAgent, createLead, parseIntake, runAuction } from "@leadflow/api";
import { buyerConfigVersion, buyers, buyerZips, verticals } from "@leadflow/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buyerSet } from "../../../../packages/api/src/auction/load";
import { addNetwork, eventsOf, leadBody, makeWorld, txOf, VERTICAL, type World } from "./world";

let w: World;
beforeAll(async () => {
  w = await makeWorld({
    networks: {
      a: { bid: { kind: "fixed", value: 30 } },
      b: { bid: { kind: "fixed", value: 20 } },
    },
  });
});
afterAll(async () => {
  await w?.close();
  await closeBuyerAgent();
});

let lastLead = "";
async function auction() {
  const { id } = await createLead(w.s, w.sellerOrgId, parseIntake(leadBody()), { deferFsync: true });
  lastLead = id;
  await runAuction(w.s, id);
  return [...(await txOf(w, id)).values()];
}
const version = async () => (await w.t.db.select().from(buyerConfigVersion))[0]!.version;

describe("the cached buyer set", () => {
  it("is reused while nothing changes and reloaded by the next auction after each kind of change", async () => {
    const a = await addNetwork(w, "a");
    const b = await addNetwork(w, "b");
    const first = await auction();
    expect(first.map((t) => t.buyerId).sort()).toEqual([a, b].sort());
    expect(first.find((t) => t.isWinner)?.buyerId).toBe(a);

    // Unchanged: the same object comes back, no reload.
    const v = await version();
    const set1 = await buyerSet(w.s.db, VERTICAL, v);
    expect(await buyerSet(w.s.db, VERTICAL, v)).toBe(set1);

    // A paused buyer is gone from the next auction.
    await w.t.db.update(buyers).set({ active: false }).where(eq(buyers.id, a));
    expect(await version()).toBeGreaterThan(v);
    const paused = await auction();
    expect(paused.map((t) => t.buyerId)).toEqual([b]);

    // A zip change alone (buyer_zips, not buyers) is seen too: b stops serving 75201.
    await w.t.db.update(buyers).set({ active: true }).where(eq(buyers.id, a));
    await w.t.db.delete(buyerZips).where(eq(buyerZips.buyerId, b));
    await w.t.db.insert(buyerZips).values({ buyerId: b, zip: "10001", priority: 1 });
    const moved = await auction();
    expect(moved.find((t) => t.buyerId === b)).toBeUndefined();
    const verdict = (await eventsOf(w, lastLead)).find((e) => e.kind === "eligibility" && e.buyerId === b);
    expect(verdict?.data).toMatchObject({ eligible: false, reason: "NOT_IN_AREA" });
    expect(moved.find((t) => t.isWinner)?.buyerId).toBe(a);

    // A vertical's floor is part of the set: raising it above every bid leaves the lead unsold.
    await w.t.db.update(verticals).set({ floorCents: 10_000 }).where(eq(verticals.key, VERTICAL));
    const floored = await auction();
    expect(floored.some((t) => t.isWinner)).toBe(false);
  });
});
