// The marketplace benchmark (issue 4, item 10): `node scripts/pnpm.mjs bench:marketplace`.
// (1) Routing one lead among 10,000 DJs in one city: eligibility in SQL + phase planning, and the
// whole routeLead transaction (score, eligibility, locks, offers, timeline). (2) How late phase
// timers fire with 10,000 open windows ending over five minutes, through pg-boss on the same database.
// Needs the PostgreSQL server of the tests (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432).
import {
  getEligibleDJs,
  PHASE_TIMER_QUEUE,
  registerPhaseTimerWorker,
  routeLead,
  type MarketServices,
} from "@leadflow/api";
import { createBoss, djAvailability, djs, leadAssignments, marketLeads } from "@leadflow/db";
import { createTestDb } from "@leadflow/db/testing";
import { DEFAULT_ROUTING_CONFIG, planNextPhase, systemClock, type DjTier } from "@leadflow/engine";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import pino from "pino";
import { sql } from "drizzle-orm";

const CITY = "Benchville";
const DJS = 10_000;
const ROUTE_RUNS = Number(process.env.BENCH_ROUTE_RUNS ?? 300);
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 10_000);
/** Windows end spread over this long: 10,000 windows of 15-120 min end at most a few a second in real use. */
const SPREAD_MS = Number(process.env.BENCH_TIMER_SPREAD_S ?? 300) * 1000;
const DAY = 86_400_000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
let seed = 42;
const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

/** Progress goes to stderr, so stdout stays the Markdown to paste into docs/benchmarks.md. */
const progress = (line: string) => process.stderr.write(`[bench:marketplace] ${line}\n`);

async function main() {
  progress("creating a fresh database …");
  const t = await createTestDb({ max: 20 });
  const out: string[] = [];
  try {
    const s: MarketServices = {
      db: t.db,
      clock: systemClock,
      log: pino({ level: process.env.LOG_LEVEL ?? "silent" }),
      publicUrl: "http://127.0.0.1",
    };
    const rows = Array.from({ length: DJS }, (_, i) => {
      const mid = 60_000 + Math.floor(rand() * 200_000);
      return {
        name: `Bench DJ ${i}`,
        city: CITY,
        state: "TN",
        tier: (["premium", "standard", "budget"] as DjTier[])[i % 3]!,
        priceMinCents: Math.round(mid * 0.8),
        priceMaxCents: Math.round(mid * 1.2),
        reliability: 40 + Math.floor(rand() * 61),
        routingScore: Math.round((10 + rand() * 85) * 10) / 10,
        isActive: rand() > 0.05,
        isSuspended: rand() < 0.03,
        cooldownUntil: rand() < 0.05 ? new Date(Date.now() + DAY) : null,
      };
    });
    const ids: string[] = [];
    for (let i = 0; i < rows.length; i += 1000)
      ids.push(
        ...(
          await t.db
            .insert(djs)
            .values(rows.slice(i, i + 1000))
            .returning({ id: djs.id })
        ).map((r) => r.id),
      );
    // A fifth of the city has marked or locked the benchmark's dates.
    const avail = ids.flatMap((id, i) =>
      i % 5 === 0
        ? [{ djId: id, date: day(90 + (i % 30)), status: (["booked", "unavailable", "tentative"] as const)[i % 3]! }]
        : [],
    );
    for (let i = 0; i < avail.length; i += 1000) await t.db.insert(djAvailability).values(avail.slice(i, i + 1000));
    await t.db.execute(sql`analyze`);
    progress(`${DJS.toLocaleString("en-US")} DJs in ${CITY} created; routing ${ROUTE_RUNS} leads …`);

    // (1a) Eligibility and ranking, as startNextPhase runs them for a lead's first phase.
    const elig: number[] = [];
    let found = 0;
    for (let i = 0; i < ROUTE_RUNS; i++) {
      const min = 50_000 + Math.floor(rand() * 150_000);
      const t0 = performance.now();
      const eligible = await getEligibleDJs(t.db, {
        city: CITY,
        eventDate: day(90 + (i % 30)),
        budgetMinCents: min,
        budgetMaxCents: min + 100_000,
        leadId: null,
        now: new Date(),
        limit: 1 + 3 + 10 + 20,
      });
      planNextPhase(
        { phase: null },
        eligible.map((e) => e.id),
        [],
        DEFAULT_ROUTING_CONFIG,
        systemClock,
      );
      elig.push(performance.now() - t0);
      found += eligible.length;
    }
    progress("eligibility and ranking measured; now whole routeLead transactions …");
    // (1b) The whole routeLead transaction.
    const routeTimes: number[] = [];
    for (let i = 0; i < ROUTE_RUNS; i++) {
      const min = 50_000 + Math.floor(rand() * 150_000);
      const [lead] = await t.db
        .insert(marketLeads)
        .values({
          contact: { name: "Bench", email: "b@example.test" },
          city: CITY,
          eventType: "wedding",
          eventDate: day(90 + (i % 30)),
          budgetMinCents: min,
          budgetMaxCents: min + 100_000,
          comparisonTokenHash: randomBytes(32).toString("hex"),
        })
        .returning({ id: marketLeads.id });
      const t0 = performance.now();
      await routeLead(s, lead!.id);
      routeTimes.push(performance.now() - t0);
    }
    out.push(
      `## Routing one lead among ${DJS.toLocaleString("en-US")} DJs in one city (${ROUTE_RUNS} leads)`,
      "",
      "| measure | p50 | p95 | p99 |",
      "|---|---|---|---|",
      `| eligibility (SQL) + ranking + phase plan | ${fmt(pct(elig, 50))} | ${fmt(pct(elig, 95))} | ${fmt(pct(elig, 99))} |`,
      `| whole routeLead transaction (score, eligibility, locks, offers, timeline) | ${fmt(pct(routeTimes, 50))} | ${fmt(pct(routeTimes, 95))} | ${fmt(pct(routeTimes, 99))} |`,
      "",
      `Candidates returned per lead: ${(found / ROUTE_RUNS).toFixed(1)} (capped at what the phases can use). Target: p95 ≤ 25 ms.`,
      "",
    );

    // (2) 10,000 open exclusive windows ending over SPREAD_MS; each timer's lateness is the time
    // from its window's end to the end of its transition.
    const start = Date.now() + 15_000;
    const due = new Map<string, number>();
    const leads = Array.from({ length: WINDOWS }, (_, i) => ({
      contact: { name: "Timer", email: "t@example.test" },
      city: CITY,
      eventType: "wedding" as const,
      eventDate: day(130 + (i % 365)),
      budgetMinCents: 40_000 + (i % 20) * 10_000,
      budgetMaxCents: 140_000 + (i % 20) * 10_000,
      comparisonTokenHash: randomBytes(32).toString("hex"),
      leadState: "exclusive" as const,
      phase: "exclusive" as const,
      phaseSeq: 1,
      phaseEndsAt: new Date(start + Math.floor((i * SPREAD_MS) / WINDOWS)),
    }));
    const boss = createBoss(t);
    await boss.start();
    await boss.createQueue(PHASE_TIMER_QUEUE);
    for (let i = 0; i < leads.length; i += 1000) {
      const chunk = leads.slice(i, i + 1000);
      const inserted = await t.db
        .insert(marketLeads)
        .values(chunk)
        .returning({ id: marketLeads.id, phaseEndsAt: marketLeads.phaseEndsAt });
      await t.db.insert(leadAssignments).values(
        inserted.map((l, j) => ({
          leadId: l.id,
          djId: ids[(i + j) % ids.length]!,
          phase: "exclusive" as const,
          phaseSeq: 1,
          offeredAt: new Date(),
          windowEndsAt: l.phaseEndsAt!,
        })),
      );
      for (const l of inserted) due.set(l.id, l.phaseEndsAt!.getTime());
      await boss.insert(
        inserted.map((l) => ({
          name: PHASE_TIMER_QUEUE,
          data: { leadId: l.id, phase: "exclusive", seq: 1 },
          startAfter: l.phaseEndsAt!,
        })),
      );
    }
    const late: number[] = [];
    const finished = new Promise<void>((resolve) => {
      void registerPhaseTimerWorker(boss, { ...s, boss }, (timer) => {
        late.push(Date.now() - due.get(timer.leadId)!);
        if (late.length === WINDOWS) resolve();
      });
    });
    progress(
      `${WINDOWS.toLocaleString("en-US")} phase windows end over the next ${SPREAD_MS / 1000} s; waiting for their timers …`,
    );
    const ticker = setInterval(() => progress(`timers handled ${late.length}/${WINDOWS}`), 15_000);
    await Promise.race([finished, new Promise((r) => setTimeout(r, start - Date.now() + SPREAD_MS + 120_000))]);
    clearInterval(ticker);
    await boss.stop({ graceful: false, wait: true });
    out.push(
      `## Phase timers with ${WINDOWS.toLocaleString("en-US")} open windows (ending over ${SPREAD_MS / 1000} s)`,
      "",
      "| handled | p50 late | p95 late | p99 late | max late |",
      "|---|---|---|---|---|",
      `| ${late.length} | ${fmt(pct(late, 50))} | ${fmt(pct(late, 95))} | ${fmt(pct(late, 99))} | ${fmt(Math.max(...late))} |`,
      "",
      "Lateness = end of the transition (next phase started, offers written) − the window's end. Target: p99 ≤ 2 s.",
      "",
      `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, PostgreSQL on loopback.`,
    );
    process.stdout.write(`${out.join("\n")}\n`);
  } finally {
    await t.drop();
  }
}

await main();
