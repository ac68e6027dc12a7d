// The screens' promise on real PostgreSQL, over generated cases: verticals with the suppression
// and do-not-call checks on or off, network and contractor buyers, people on the global list or
// on buyers' own lists (by phone or by email) and on the DNC registry, and their leads sent
// through the real intake and auction. No person the vertical's checks name is ever pinged (as
// seen by the buyers' HTTP server on loopback), posted or sold to a buyer the check covers, and
// the verdict is SUPPRESSED exactly for those buyers. Each lead takes one of the three ways a lead
// is screened: started by its intake statement, started later from the queue, or (a lead written
// before the keyed hashes existed) screened by the api's own query.
import {
  buyers,
  buyerZips,
  dncNumbers,
  insertSuppressions,
  leadEvents,
  leads,
  orgs,
  transactions,
  verticals,
} from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBuyerAgent, createLead, parseIntake, runAuction } from "../../auction";
import type { Services } from "../../context";
import { silentLog, TEST_OUTBOUND } from "../../testing";
import { personHash, personHashKey } from "./person";

let t: TestDb;
let s: Services;
let server: Server;
let base = "";
let sellerId = "";
let buyerOrgId = "";
/** Every ping the buyers' server received, by buyer tag. */
const pinged: string[] = [];
const posted: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const [, kind, tag = ""] = (req.url ?? "").split("/");
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (kind === "ping") {
        pinged.push(tag);
        res.end(JSON.stringify({ bid: 1000 + (tag.length % 7) * 10 }));
      } else {
        posted.push(tag);
        res.end(JSON.stringify({ accepted: true }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await createTestDb();
  s = {
    db: t.db,
    handle: t,
    clock: new ManualClock("2026-03-02T15:00:00Z"),
    log: silentLog,
    publicUrl: "http://127.0.0.1:0",
    outbound: TEST_OUTBOUND,
  };
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  const [org] = await t.db.insert(orgs).values({ name: "Buyers", kind: "network" }).returning();
  sellerId = seller!.id;
  buyerOrgId = org!.id;
}, 60_000);
afterAll(async () => {
  await closeBuyerAgent();
  server?.close();
  await t?.drop();
});

const arbPerson = fc.record({
  hasEmail: fc.boolean(),
  global: fc.constantFrom("none" as const, "phone" as const, "email" as const),
  /** Indexes of the buyers whose own list names this person. */
  ownBy: fc.uniqueArray(fc.nat({ max: 3 }), { maxLength: 2 }),
  ownKind: fc.constantFrom("phone" as const, "email" as const),
  dnc: fc.boolean(),
});
const arbCase = fc.record({
  checkSuppression: fc.boolean(),
  checkDnc: fc.boolean(),
  buyers: fc.array(
    fc.record({ type: fc.constantFrom("NETWORK" as const, "CONTRACTOR" as const), shared: fc.boolean() }),
    { minLength: 1, maxLength: 4 },
  ),
  people: fc.array(arbPerson, { minLength: 1, maxLength: 4 }),
  leads: fc.array(
    fc.record({
      person: fc.nat({ max: 3 }),
      way: fc.constantFrom("intake" as const, "queued" as const, "legacy" as const),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

let run = 0;
describe("screened people on PostgreSQL", () => {
  it("are never pinged, posted or sold to a buyer whose vertical's check names them", async () => {
    const key = await personHashKey(s);
    await fc.assert(
      fc.asyncProperty(arbCase, async (c) => {
        const r = ++run;
        const vertical = `prop-${r}`;
        await t.db.insert(verticals).values({
          key: vertical,
          name: vertical,
          checkSuppression: c.checkSuppression,
          checkDnc: c.checkDnc,
        });
        const buyerIds: string[] = [];
        const tags: string[] = [];
        for (const [i, b] of c.buyers.entries()) {
          const tag = `r${r}b${i}`;
          const [row] = await t.db
            .insert(buyers)
            .values({
              orgId: buyerOrgId,
              name: tag,
              type: b.type,
              verticals: [vertical],
              duplicateLookbackDays: 0,
              notifyEmail: false,
              notifyDashboard: false,
              ...(b.type === "NETWORK"
                ? { pingUrl: `${base}/ping/${tag}`, postUrl: `${base}/post/${tag}` }
                : {
                    pricingModel: "FIXED" as const,
                    fixedLeadPriceCents: 900,
                    deliveryMode: b.shared ? ("SHARED" as const) : ("EXCLUSIVE" as const),
                    sharedPriceCents: 500,
                    maxSharedLeads: 3,
                  }),
            })
            .returning();
          buyerIds.push(row!.id);
          tags.push(tag);
          await t.db.insert(buyerZips).values({ buyerId: row!.id, zip: "*", priority: 1 });
        }
        // Each run's people are its own (their numbers carry the run), so lists never leak across runs.
        const people = c.people.map((p, i) => ({
          ...p,
          phone: `312${String(200 + (r % 700)).padStart(3, "0")}${String(1000 + i)}`,
          email: p.hasEmail ? `p${r}.${i}@prop.example.org` : null,
        }));
        for (const p of people) {
          const phoneHash = personHash(key, `+1${p.phone}`);
          const emailHash = p.email ? personHash(key, p.email) : null;
          const hashOf = (kind: "phone" | "email") => (kind === "phone" ? phoneHash : emailHash);
          const g = p.global === "none" ? null : hashOf(p.global);
          if (g)
            await insertSuppressions(t.db, { buyerId: null, source: "UPLOAD", uploadId: null }, [
              { kind: p.global === "phone" ? "PHONE" : "EMAIL", hash: g },
            ]);
          const own = hashOf(p.ownKind);
          for (const bi of p.ownBy)
            if (own && buyerIds[bi])
              await insertSuppressions(t.db, { buyerId: buyerIds[bi], source: "UPLOAD", uploadId: null }, [
                { kind: p.ownKind === "phone" ? "PHONE" : "EMAIL", hash: own },
              ]);
          if (p.dnc)
            await t.db
              .insert(dncNumbers)
              .values({ number: Number(p.phone) })
              .onConflictDoNothing();
        }
        const covered = (p: (typeof people)[number], bi: number) =>
          (c.checkSuppression &&
            (p.global === "phone" ||
              (p.global === "email" && p.email !== null) ||
              (p.ownBy.includes(bi) && (p.ownKind === "phone" || p.email !== null)))) ||
          (c.checkDnc && p.dnc);

        for (const l of c.leads) {
          const p = people[l.person % people.length]!;
          const pingsBefore = pinged.length;
          const postsBefore = posted.length;
          const body = parseIntake({
            vertical,
            zip: "60601",
            contact: { firstName: "Pat", lastName: "Prop", phone: p.phone, ...(p.email ? { email: p.email } : {}) },
          });
          let id: string;
          if (l.way === "intake") {
            const made = await createLead(s, sellerId, body, { start: true });
            id = made.id;
            await runAuction(s, id, made.started);
          } else {
            id = (await createLead(s, sellerId, body)).id;
            if (l.way === "legacy")
              await t.db.update(leads).set({ phoneHash: null, emailHash: null }).where(eq(leads.id, id));
            await runAuction(s, id);
          }
          const pings = pinged.slice(pingsBefore);
          const posts = posted.slice(postsBefore);
          const txs = await t.db
            .select({ buyerId: transactions.buyerId })
            .from(transactions)
            .where(eq(transactions.leadId, id));
          const verdicts = await t.db
            .select({ buyerId: leadEvents.buyerId, data: leadEvents.data })
            .from(leadEvents)
            .where(and(eq(leadEvents.leadId, id), eq(leadEvents.kind, "eligibility")));
          for (const [bi, buyerId] of buyerIds.entries()) {
            const ctx = JSON.stringify({ run: r, case: c, lead: l, buyer: bi });
            const verdict = verdicts.find((v) => v.buyerId === buyerId)?.data as { reason?: string } | undefined;
            const suppressed = verdict?.reason === "SUPPRESSED";
            if (covered(p, bi)) {
              expect(pings, ctx).not.toContain(tags[bi]);
              expect(posts, ctx).not.toContain(tags[bi]);
              expect(
                txs.filter((x) => x.buyerId === buyerId),
                ctx,
              ).toEqual([]);
              expect(suppressed, ctx).toBe(true);
            } else {
              expect(suppressed, ctx).toBe(false);
            }
          }
        }
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
