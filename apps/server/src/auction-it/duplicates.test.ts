// The duplicate rule before the pings: the statement that starts an auction also reads who bought
// this person before (by phone or by email), and a buyer that bought them within its look-back is
// not eligible. The same must hold whichever way the auction starts: the queued lead (RECEIVED,
// started by the worker's update) and the lead of a source that waits (written already started),
// and for buyers with and without caps (with caps, the counters come from a query instead).
import { closeBuyerAgent, createLead, parseIntake, runAuction, submitLead } from "@leadflow/api";
import { buyers, transactions } from "@leadflow/db";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addContractor, eventsOf, leadBody, leadOf, makeWorld, type World } from "./world";

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});
afterAll(async () => {
  await w?.close();
  await closeBuyerAgent();
});

const seller = () => ({ orgId: w.sellerOrgId, role: "seller" as const });

async function verdictFor(leadId: string, buyerId: string) {
  const e = (await eventsOf(w, leadId)).find((x) => x.kind === "eligibility" && x.buyerId === buyerId);
  return e?.data as { eligible: boolean; reason?: string } | undefined;
}

async function queued(body: Record<string, unknown>) {
  const { id } = await createLead(w.s, w.sellerOrgId, parseIntake(body));
  await runAuction(w.s, id);
  return id;
}

async function waited(body: Record<string, unknown>) {
  return (await submitLead(w.s, seller(), body, true)).id;
}

describe("a buyer that bought this person is not offered them again", () => {
  for (const [name, run] of [
    ["queued lead", queued],
    ["lead of a source that waits", waited],
  ] as const) {
    for (const capped of [false, true]) {
      it(`${name}, buyer ${capped ? "with" : "without"} a cap: same phone, same email, other person, past the look-back`, async () => {
        await w.t.db.update(buyers).set({ active: false });
        const buyer = await addContractor(w, {
          pricingModel: "FIXED",
          fixedLeadPriceCents: 2000,
          deliveryMode: "EXCLUSIVE",
          duplicateLookbackDays: 30,
          capDaily: capped ? 1000 : null,
        });
        const first = leadBody();
        const firstId = await run(first);
        expect((await leadOf(w, firstId)).status).toBe("SOLD");

        // The same phone, another email; then the same email, another phone.
        const byPhone = await run(
          leadBody({ contact: { ...first.contact, email: `other${Date.now()}@example.test` } }),
        );
        expect(await verdictFor(byPhone, buyer)).toMatchObject({ eligible: false, reason: "DUPLICATE_LEAD" });
        expect((await leadOf(w, byPhone)).status).toBe("UNSOLD");
        const byEmail = await run(leadBody({ contact: { ...first.contact, phone: "5125550199" } }));
        expect(await verdictFor(byEmail, buyer)).toMatchObject({ eligible: false, reason: "DUPLICATE_LEAD" });

        // Someone else is sold as usual.
        const other = await run(leadBody());
        expect(await verdictFor(other, buyer)).toMatchObject({ eligible: true });
        expect((await leadOf(w, other)).status).toBe("SOLD");

        // The first sale moved to 31 days ago: past the look-back, the person may be sold again.
        const old = new Date(w.clock.now().getTime() - 31 * 86_400_000);
        await w.t.db
          .update(transactions)
          .set({ createdAt: old })
          .where(and(eq(transactions.leadId, firstId), eq(transactions.buyerId, buyer)));
        const later = await run(leadBody({ contact: { ...first.contact, email: `later${Date.now()}@example.test` } }));
        expect(await verdictFor(later, buyer)).toMatchObject({ eligible: true });
        expect((await leadOf(w, later)).status).toBe("SOLD");
      });
    }
  }
});
