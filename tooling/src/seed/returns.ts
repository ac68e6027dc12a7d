// Demo history for returns: a few leads Bright Path Media sold to Bluff City Roofing and to
// HomeQuote's Apex Home Leads in the past days, and returns of them made through the real service
// (so the rules, the timeline and the credits are what they would be): one approved because the
// phone fails validation, one held past the allowance and then denied by an admin, one still
// waiting in the admin queue. Bluff City also has recent leads it can still return.
import { adminDecideReturn, requestReturn, type Services } from "@leadflow/api";
import { buyers, leadEvents, leads, transactions, users, type Db } from "@leadflow/db";
import { ManualClock } from "@leadflow/engine";
import { and, asc, eq } from "drizzle-orm";
import pino from "pino";
import type { SeedContext, SeedStep } from "./seed";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface PastLead {
  name: [string, string];
  phone: string;
  zip: string;
  daysAgo: number;
  priceCents: number;
}

const BLUFF: PastLead[] = [
  { name: ["Rhonda", "Fake"], phone: "(901) 555-0142", zip: "38104", daysAgo: 9, priceCents: 4500 },
  { name: ["Marcus", "Hill"], phone: "(901) 272-4410", zip: "38104", daysAgo: 4, priceCents: 4500 },
  { name: ["Lena", "Ortiz"], phone: "(901) 276-9034", zip: "38103", daysAgo: 2, priceCents: 4500 },
  { name: ["Tom", "Becker"], phone: "(901) 452-7781", zip: "38104", daysAgo: 1, priceCents: 4500 },
];
const APEX: PastLead[] = [
  { name: ["Gary", "Nolan"], phone: "(615) 383-2210", zip: "37203", daysAgo: 3, priceCents: 2600 },
  { name: ["June", "Park"], phone: "(404) 872-1163", zip: "30308", daysAgo: 2, priceCents: 2400 },
];

async function firstBuyer(db: Db, orgId: string) {
  const [b] = await db
    .select({ id: buyers.id })
    .from(buyers)
    .where(eq(buyers.orgId, orgId))
    .orderBy(asc(buyers.createdAt))
    .limit(1);
  if (!b) throw new Error("returns seed: the auction seed must run first");
  return b.id;
}

async function soldLead(db: Db, sellerOrgId: string, buyerId: string, l: PastLead, now: Date) {
  const at = new Date(now.getTime() - l.daysAgo * DAY);
  const digits = l.phone.replace(/\D/g, "");
  const email = `${l.name[0]}.${l.name[1]}@example.test`.toLowerCase();
  const [lead] = await db
    .insert(leads)
    .values({
      sellerOrgId,
      vertical: "roofing",
      zip: l.zip,
      status: "SOLD",
      contact: { firstName: l.name[0], lastName: l.name[1], phone: l.phone, email },
      phoneNormalized: digits,
      emailNormalized: email,
      receivedAt: at,
      processingAt: at,
      finishedAt: at,
      revenueCents: l.priceCents,
      winnerCount: 1,
    })
    .returning({ id: leads.id });
  await db.insert(transactions).values({
    leadId: lead!.id,
    buyerId,
    kind: "DIRECT",
    isWinner: true,
    priceCents: l.priceCents,
    deliveryMethod: "DASHBOARD",
    createdAt: at,
    detail: "demo history",
  });
  await db.insert(leadEvents).values({
    leadId: lead!.id,
    at,
    kind: "outcome",
    data: { status: "SOLD", revenueCents: l.priceCents, note: "demo history" },
  });
  return { id: lead!.id, at };
}

export function returnsSeed(): SeedStep {
  return {
    name: "returns history",
    async run(ctx: SeedContext) {
      const now = new Date();
      const clock = new ManualClock(now);
      const s: Services = { db: ctx.db, clock, log: pino({ level: "silent" }), publicUrl: "http://127.0.0.1" };
      const seller = ctx.orgIds.get("seller")!;
      const bluffOrg = ctx.orgIds.get("con-bluff")!;
      const apexOrg = ctx.orgIds.get("net-homequote")!;
      const bluff = await firstBuyer(ctx.db, bluffOrg);
      const apex = await firstBuyer(ctx.db, apexOrg);
      const [admin] = await ctx.db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.orgId, ctx.orgIds.get("platform")!), eq(users.role, "admin")))
        .limit(1);
      const total = BLUFF.length + APEX.length + 3;
      let done = 0;
      const tick = () => ctx.progress("returns history", ++done, total);

      const bluffLeads = [];
      for (const l of BLUFF) {
        bluffLeads.push(await soldLead(ctx.db, seller, bluff, l, now));
        tick();
      }
      const apexLeads = [];
      for (const l of APEX) {
        apexLeads.push(await soldLead(ctx.db, seller, apex, l, now));
        tick();
      }
      // Bluff City returned the lead with the fictional 555-01xx number a day after buying it.
      clock.set(bluffLeads[0]!.at.getTime() + DAY);
      await requestReturn(s, { orgId: bluffOrg, userId: null, via: "dashboard" }, bluffLeads[0]!.id, {
        reason: "INVALID_PHONE",
        comment: "Number is not in service.",
      });
      tick();
      // Apex bought two leads this month; 15% of 2 allows no returns without an admin.
      clock.set(apexLeads[0]!.at.getTime() + 6 * HOUR);
      const denied = await requestReturn(s, { orgId: apexOrg, userId: null, via: "api" }, apexLeads[0]!.id, {
        reason: "CONSUMER_DENIES",
      });
      if (denied.status === "PENDING" && admin) {
        clock.set(apexLeads[0]!.at.getTime() + DAY);
        await adminDecideReturn(s, admin.id, {
          id: denied.id,
          decision: "DENIED",
          note: "The TrustedForm certificate shows the consumer filled in the form.",
        });
      }
      tick();
      clock.set(now.getTime() - 2 * HOUR);
      await requestReturn(s, { orgId: apexOrg, userId: null, via: "api" }, apexLeads[1]!.id, {
        reason: "OUTSIDE_SERVICE_AREA",
        comment: "Consumer lives across the state line.",
      });
      tick();
    },
  };
}
