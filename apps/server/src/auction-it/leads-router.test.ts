// The tRPC leads router: submit with the same intake, and list/get scoped to the caller's org.
import { closeBuyerAgent } from "@leadflow/api";
import { callerAs, makeOrgUser } from "@leadflow/api/testing";
import { buyers } from "@leadflow/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addContractor, leadBody, makeWorld, type World } from "./world";

let w: World;
beforeAll(async () => {
  w = await makeWorld({});
});
afterAll(async () => {
  await w?.close();
  await closeBuyerAgent();
});

describe("leads router", () => {
  it("submits through the same intake and scopes list/get per org", async () => {
    const seller = await makeOrgUser(w.t.db, "seller");
    const otherSeller = await makeOrgUser(w.t.db, "seller");
    const admin = await makeOrgUser(w.t.db, "admin");
    const winnerUser = await makeOrgUser(w.t.db, "contractor");
    const loserUser = await makeOrgUser(w.t.db, "contractor");
    const bystander = await makeOrgUser(w.t.db, "contractor");
    const win = await addContractor(w, { name: "Winner Roofing", pricingModel: "FIXED", fixedLeadPriceCents: 5000 });
    const lose = await addContractor(w, { name: "Loser Roofing", pricingModel: "FIXED", fixedLeadPriceCents: 4000 });
    await w.t.db.update(buyers).set({ orgId: winnerUser.orgId }).where(eq(buyers.id, win));
    await w.t.db.update(buyers).set({ orgId: loserUser.orgId }).where(eq(buyers.id, lose));

    await expect(callerAs(w.s, seller).leads.submit({ ...leadBody(), zip: "12" } as never)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const r = await callerAs(w.s, seller).leads.submit({ ...leadBody(), wait: true });
    expect(r.status).toBe("SOLD");

    expect((await callerAs(w.s, seller).leads.list({})).map((l) => l.id)).toEqual([r.id]);
    expect(await callerAs(w.s, otherSeller).leads.list({})).toEqual([]);
    expect((await callerAs(w.s, admin).leads.list({})).map((l) => l.id)).toContain(r.id);
    expect((await callerAs(w.s, loserUser).leads.list({})).map((l) => l.id)).toEqual([r.id]);
    expect(await callerAs(w.s, bystander).leads.list({})).toEqual([]);

    const full = await callerAs(w.s, admin).leads.get({ id: r.id });
    expect(full.transactions).toHaveLength(2);
    expect(full.events.some((e) => e.kind === "eligibility")).toBe(true);
    expect(full.deliveries).toHaveLength(1);

    const winnerView = await callerAs(w.s, winnerUser).leads.get({ id: r.id });
    expect(winnerView.transactions.map((t) => t.buyer)).toEqual(["Winner Roofing"]);
    expect(winnerView.contact?.firstName).toBe("Ada");
    expect(winnerView.deliveries).toHaveLength(1);

    const loserView = await callerAs(w.s, loserUser).leads.get({ id: r.id });
    expect(loserView.transactions).toHaveLength(1);
    expect(loserView.transactions[0]).toMatchObject({
      buyer: "Loser Roofing",
      lostReason: "EXCLUSIVE_TAKEN",
      winningBidAmountCents: 5000,
    });
    expect(loserView.contact).toBeNull();
    expect(JSON.stringify(loserView)).not.toContain("Winner Roofing");
    expect(loserView.deliveries).toEqual([]);

    await expect(callerAs(w.s, bystander).leads.get({ id: r.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(callerAs(w.s, otherSeller).leads.get({ id: r.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const sellerView = await callerAs(w.s, seller).leads.get({ id: r.id });
    // A seller never sees a buyer's identity or bid: no transactions, no sale price, no buyer on an event.
    expect(sellerView.transactions).toEqual([]);
    expect(sellerView.revenueCents).toBeNull();
    expect(sellerView.events.every((e) => e.buyerId === null)).toBe(true);
    for (const secret of ["Winner Roofing", "Loser Roofing", "priceCents", "bidCents", "marginCents"])
      expect(JSON.stringify(sellerView)).not.toContain(secret);
  });
});
