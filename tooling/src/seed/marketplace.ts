// The marketplace's demo: a DJ profile for each demo dj-* organisation, a directory of DJs in
// every metro with tiers, prices and calendars, 90 days of past leads (bookings and quotes) so
// the city statistics and price guidance have something to say, and funnel counts.
import {
  creditLedger,
  djAvailability,
  djs,
  leadAssignments,
  marketFunnelCounters,
  marketLeads,
  type Db,
} from "@leadflow/db";
import { recalculateAllRoutingScores, recomputeCityStats } from "@leadflow/api";
import { mulberry32 } from "@leadflow/buyer-sim";
import { EVENT_TYPES, systemClock, type DjTier, type EventType } from "@leadflow/engine";
import { randomBytes } from "node:crypto";
import type { SeedContext, SeedStep } from "./seed";
import { DEMO_ORGS, METROS, type MetroKey } from "./world";

const DAY = 86_400_000;
/** Typical booking price per metro, in cents: the centre of each city's seeded market. */
const METRO_BASE_CENTS: Record<MetroKey, number> = {
  memphis: 120_000,
  nashville: 140_000,
  atlanta: 150_000,
  denver: 160_000,
};
const DIRECTORY_DJS_PER_METRO = 30;
const PAST_LEADS_PER_METRO = 40;

const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
const round50 = (cents: number) => Math.round(cents / 5_000) * 5_000;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Demo DJs with logins. Marcus Beale is Memphis's strongest DJ, so the demo's first inquiry reaches him. */
const DEMO_DJS: Record<
  string,
  { tier: DjTier; min: number; max: number; reliability: number; avgMs: number; accepted: number; converted: number }
> = {
  "dj-beale": {
    tier: "premium",
    min: 80_000,
    max: 160_000,
    reliability: 94,
    avgMs: 20 * 60_000,
    accepted: 40,
    converted: 22,
  },
  "dj-grove": {
    tier: "standard",
    min: 70_000,
    max: 140_000,
    reliability: 80,
    avgMs: 90 * 60_000,
    accepted: 25,
    converted: 8,
  },
  "dj-honky": {
    tier: "premium",
    min: 100_000,
    max: 180_000,
    reliability: 88,
    avgMs: 40 * 60_000,
    accepted: 30,
    converted: 12,
  },
  "dj-peachtree": {
    tier: "standard",
    min: 100_000,
    max: 200_000,
    reliability: 84,
    avgMs: 2 * 3_600_000,
    accepted: 22,
    converted: 7,
  },
  "dj-mile-high": {
    tier: "premium",
    min: 120_000,
    max: 220_000,
    reliability: 90,
    avgMs: 30 * 60_000,
    accepted: 28,
    converted: 13,
  },
};
const NAMES = [
  "Bass",
  "Groove",
  "Vinyl",
  "Night",
  "Pulse",
  "Echo",
  "Rhythm",
  "Spin",
  "Soul",
  "Static",
  "Neon",
  "Velvet",
  "Crate",
  "Loop",
  "Tempo",
];
const SUFFIX = ["Sound", "Events", "Entertainment", "Mixes", "DJs", "Audio", "Collective"];

function rates(accepted: number, declined: number, ignored: number, converted: number) {
  const total = accepted + declined + ignored;
  const r = (x: number, of: number) => (of ? Math.round((x / of) * 10_000) / 10_000 : null);
  return {
    acceptedCount: accepted,
    declinedCount: declined,
    ignoredCount: ignored,
    convertedCount: converted,
    acceptanceRate: r(accepted, total),
    declineRate: r(declined, total),
    ignoreRate: r(ignored, total),
    conversionRate: r(converted, accepted),
  };
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += 500) await insert(rows.slice(i, i + 500));
}

export async function seedMarketplace(
  db: Db,
  orgIds: Map<string, string>,
  progress: SeedContext["progress"],
  now = systemClock.now(),
) {
  // Seeded, so every demo database looks the same.
  const r = mulberry32(20_250_219);
  const total = 6;
  let step = 0;
  const tick = () => progress("marketplace", ++step, total);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());

  const demo = DEMO_ORGS.filter((o) => o.kind === "dj" && o.metro);
  const demoRows = demo.map((o) => {
    const m = METROS[o.metro as MetroKey];
    const spec = DEMO_DJS[o.key] ?? {
      tier: "standard" as DjTier,
      min: 80_000,
      max: 150_000,
      reliability: 75,
      avgMs: 3_600_000,
      accepted: 10,
      converted: 3,
    };
    return {
      orgId: orgIds.get(o.key)!,
      name: o.name,
      city: m.city,
      state: m.state,
      tier: spec.tier,
      contactEmail: o.user.email,
      priceMinCents: spec.min,
      priceMaxCents: spec.max,
      reliability: spec.reliability,
      avgResponseTimeMs: spec.avgMs,
      ...rates(spec.accepted, 3, 1, spec.converted),
      credits: 10,
    };
  });
  const directory = (Object.keys(METROS) as MetroKey[]).flatMap((key) => {
    const m = METROS[key];
    const base = METRO_BASE_CENTS[key];
    return Array.from({ length: DIRECTORY_DJS_PER_METRO }, (_, i) => {
      const mid = base * (0.6 + r() * 0.9);
      const accepted = Math.floor(r() * 30);
      return {
        name: `${pick(r, NAMES)} ${pick(r, SUFFIX)} ${m.city} ${i + 1}`,
        city: m.city,
        state: m.state,
        // Memphis's directory has no premium DJ so the demo DJ is reliably first there.
        tier:
          key === "memphis"
            ? pick(r, ["standard", "budget"] as const)
            : pick(r, ["premium", "standard", "standard", "budget"] as const),
        priceMinCents: round50(mid * 0.75),
        priceMaxCents: round50(mid * 1.25),
        reliability: 55 + Math.floor(r() * 31),
        avgResponseTimeMs: accepted ? Math.round(3_600_000 + r() * 20 * 3_600_000) : null,
        ...rates(accepted, Math.floor(r() * 8), Math.floor(r() * 4), Math.floor(accepted * r() * 0.4)),
        isSuspended: r() < 0.03,
      };
    });
  });
  const inserted = await db
    .insert(djs)
    .values([...demoRows, ...directory])
    .returning({ id: djs.id, orgId: djs.orgId, city: djs.city });
  await db.insert(creditLedger).values(
    inserted
      .filter((d) => d.orgId)
      .map((d) => ({
        djId: d.id,
        kind: "grant" as const,
        credits: 10,
        balanceAfter: 10,
        reference: "demo welcome credits",
        createdAt: now,
      })),
  );
  tick();

  // Calendars: directory DJs block some dates over the next four months; demo DJs keep theirs open.
  const availability = inserted
    .filter((d) => !d.orgId)
    .flatMap((d) =>
      Array.from({ length: 120 }, (_, i) => i)
        .filter(() => r() < 0.12)
        .map((i) => ({
          djId: d.id,
          date: isoDay(today + (i + 1) * DAY),
          status: pick(r, ["booked", "unavailable", "tentative"] as const),
          updatedAt: now,
        })),
    );
  await insertChunked(availability, (c) => db.insert(djAvailability).values(c).onConflictDoNothing());
  tick();

  // History: 90 days of leads per city, most answered, many booked, so medians and rates exist.
  const byCity = new Map<string, string[]>();
  for (const d of inserted) byCity.set(d.city, [...(byCity.get(d.city) ?? []), d.id]);
  const pastLeads: (typeof marketLeads.$inferInsert)[] = [];
  const pastAnswers: { leadIndex: number; djId: string; quote: number; offeredAt: Date; respondedAt: Date }[] = [];
  for (const key of Object.keys(METROS) as MetroKey[]) {
    const m = METROS[key];
    for (let i = 0; i < PAST_LEADS_PER_METRO; i++) {
      const created = now.getTime() - Math.floor(r() * 88 * DAY) - DAY;
      const eventType: EventType = r() < 0.5 ? "wedding" : pick(r, EVENT_TYPES);
      const price = round50(METRO_BASE_CENTS[key] * (0.7 + r() * 0.7) * (eventType === "wedding" ? 1.1 : 0.9));
      const answeredAfter = Math.round((5 + r() * 300) * 60_000);
      const outcome = r();
      const accepted = outcome < 0.7;
      const converted = outcome < 0.35;
      const dj = pick(r, byCity.get(m.city)!);
      pastLeads.push({
        contact: { name: `Past customer ${key} ${i + 1}`, email: `past.${key}.${i + 1}@example.test` },
        city: m.city,
        state: m.state,
        eventType,
        eventDate: isoDay(created + (20 + Math.floor(r() * 200)) * DAY),
        budgetMinCents: round50(price * 0.8),
        budgetMaxCents: round50(price * 1.2),
        formCompleteness: 0.8,
        leadState: converted ? "converted" : accepted ? "accepted" : "closed",
        closeReason: accepted ? null : "no_dj_found",
        phaseSeq: 1,
        phase: "exclusive",
        comparisonTokenHash: randomBytes(32).toString("hex"),
        acceptedDjId: accepted ? dj : null,
        convertedDjId: converted ? dj : null,
        bookingValueCents: converted ? price : null,
        createdAt: new Date(created),
        firstResponseAt: accepted ? new Date(created + answeredAfter) : null,
        acceptedAt: accepted ? new Date(created + answeredAfter) : null,
        convertedAt: converted ? new Date(created + answeredAfter + 2 * DAY) : null,
        closedAt: accepted ? null : new Date(created + DAY),
      });
      if (accepted)
        pastAnswers.push({
          leadIndex: pastLeads.length - 1,
          djId: dj,
          quote: price,
          offeredAt: new Date(created),
          respondedAt: new Date(created + answeredAfter),
        });
    }
  }
  const leadIds = await db.insert(marketLeads).values(pastLeads).returning({ id: marketLeads.id });
  await insertChunked(pastAnswers, (c) =>
    db.insert(leadAssignments).values(
      c.map((a) => ({
        leadId: leadIds[a.leadIndex]!.id,
        djId: a.djId,
        phase: "exclusive" as const,
        phaseSeq: 1,
        status: "accepted" as const,
        offeredAt: a.offeredAt,
        windowEndsAt: new Date(a.respondedAt.getTime() + 60_000),
        respondedAt: a.respondedAt,
        responseTimeMs: a.respondedAt.getTime() - a.offeredAt.getTime(),
        quoteCents: a.quote,
      })),
    ),
  );
  tick();

  // Funnel: calculator views and the inquiries that followed, over the last 30 days.
  const funnel = (Object.values(METROS) as (typeof METROS)[MetroKey][]).flatMap((m) =>
    Array.from({ length: 30 }, (_, i) => {
      const views = 10 + Math.floor(r() * 30);
      const fromCalc = Math.floor(views * (0.1 + r() * 0.15));
      const day = isoDay(today - (i + 1) * DAY);
      return [
        { day, city: m.city, metric: "calculator_view", count: views },
        { day, city: m.city, metric: "inquiry_from_calculator", count: fromCalc },
        { day, city: m.city, metric: "inquiry", count: fromCalc + Math.floor(r() * 3) },
      ];
    }).flat(),
  );
  await insertChunked(funnel, (c) => db.insert(marketFunnelCounters).values(c));
  tick();

  await recomputeCityStats(db, { now: () => now });
  tick();
  await recalculateAllRoutingScores(db, { now: () => now });
  tick();
}

export function marketplaceSeed(): SeedStep {
  return { name: "marketplace", run: (ctx) => seedMarketplace(ctx.db, ctx.orgIds, ctx.progress) };
}
