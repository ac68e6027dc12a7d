// The replay benchmark (issue 6, item 5): a what-if replay of 10,000 recorded leads must finish in
// ≤ 5 s. benchReplay writes a recorded history into the given fresh, migrated database — each lead
// decided by the engine's conductAuction with seeded answers and written the way finalize writes it
// (lead, a transaction per buyer, the eligibility verdicts) — then times the real replay service
// (replayBuyer) over it. `node scripts/pnpm.mjs bench:replay` runs it alone on a fresh database;
// bench:insight calls benchReplay. Progress goes to the callback (stderr), results to stdout.
import { replayBuyer, replayInputSchema, toEngineBuyer } from "@leadflow/api";
import { mulberry32 } from "@leadflow/buyer-sim";
import {
  buyers,
  buyerZips,
  insertTopUp,
  leadEvents,
  leads,
  orgs,
  transactions,
  verticals,
  type Db,
} from "@leadflow/db";
import { conductAuction, formatCents, type AuctionRecord, type Buyer, type PingRecord } from "@leadflow/engine";
import { sql } from "drizzle-orm";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const DAY = 86_400_000;
const VERTICAL = "bench-roofing";
const ZIPS = Array.from({ length: 20 }, (_, i) => String(38100 + i));

type BuyerInsert = typeof buyers.$inferInsert;

async function makeBuyers(db: Db, orgId: string) {
  const specs: { row: Partial<BuyerInsert>; zips: { zip: string; priority: number; maxBidCents?: number | null }[] }[] =
    [];
  for (let i = 0; i < 8; i++) {
    specs.push({
      row: {
        type: "NETWORK",
        name: `Bench network ${i}`,
        pingUrl: "http://127.0.0.1:9/ping",
        postUrl: "http://127.0.0.1:9/post",
        minBidCents: i === 7 ? 2500 : 0,
        capDaily: i === 0 ? 200 : null,
      },
      zips: [{ zip: "*", priority: 1 }],
    });
  }
  const contractor = (name: string, over: Partial<BuyerInsert>, zips: string[], priority: number) => ({
    row: {
      type: "CONTRACTOR" as const,
      name,
      notifyEmail: false,
      notifyWebhook: false,
      notifyDashboard: true,
      ...over,
    },
    zips: zips.map((zip) => ({ zip, priority })),
  });
  specs.push(contractor("Bench fixed", { pricingModel: "FIXED", fixedLeadPriceCents: 1800 }, ZIPS.slice(0, 10), 1));
  specs.push(
    contractor("Bench auction", { pricingModel: "AUCTION", maxBidCents: 3200, capDaily: 30 }, ZIPS.slice(5, 15), 1),
  );
  specs.push(
    contractor(
      "Bench hybrid",
      { pricingModel: "HYBRID", maxBidCents: 2600, sharedPriceCents: 1400, deliveryMode: "SHARED", maxSharedLeads: 3 },
      ZIPS.slice(10),
      2,
    ),
  );
  specs.push(
    contractor(
      "Bench shared",
      { pricingModel: "FIXED", fixedLeadPriceCents: 1200, deliveryMode: "SHARED", maxSharedLeads: 3 },
      ZIPS,
      2,
    ),
  );
  const out: Buyer[] = [];
  for (const spec of specs) {
    const [b] = await db
      .insert(buyers)
      .values({
        orgId,
        verticals: [VERTICAL],
        timeZone: "America/Chicago",
        duplicateLookbackDays: 0,
        ...spec.row,
      } as BuyerInsert)
      .returning();
    const zipRows = spec.zips.map((z) => ({
      buyerId: b!.id,
      zip: z.zip,
      priority: z.priority,
      maxBidCents: z.maxBidCents ?? null,
    }));
    await db.insert(buyerZips).values(zipRows);
    out.push(toEngineBuyer(b!, zipRows));
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Writes `count` decided leads over the 30 days before `now`; returns the target buyer's id. */
async function recordHistory(db: Db, count: number, now: Date, progress: (line: string) => void) {
  // Seeded, so every run replays the same history.
  const rand = mulberry32(20261125);
  const [seller] = await db.insert(orgs).values({ name: "Bench seller", kind: "seller" }).returning();
  const [org] = await db.insert(orgs).values({ name: "Bench buyers", kind: "network" }).returning();
  await db.insert(verticals).values({ key: VERTICAL, name: "Bench roofing", floorCents: 500 }).onConflictDoNothing();
  const list = await makeBuyers(db, org!.id);
  const types = new Map(list.map((b) => [b.id, b.type]));
  const target = list.find((b) => b.name === "Bench network 0")!;
  const start = now.getTime() - 30 * DAY;
  let leadRows: (typeof leads.$inferInsert)[] = [];
  let txRows: (typeof transactions.$inferInsert)[] = [];
  let eventRows: (typeof leadEvents.$inferInsert)[] = [];
  const flush = async () => {
    if (leadRows.length) await db.insert(leads).values(leadRows);
    for (let i = 0; i < txRows.length; i += 2000) await db.insert(transactions).values(txRows.slice(i, i + 2000));
    for (let i = 0; i < eventRows.length; i += 4000) await db.insert(leadEvents).values(eventRows.slice(i, i + 4000));
    leadRows = [];
    txRows = [];
    eventRows = [];
  };
  for (let i = 0; i < count; i++) {
    const at = new Date(start + Math.floor(((i + rand()) / count) * 30 * DAY));
    const id = crypto.randomUUID();
    const zip = ZIPS[Math.floor(rand() * ZIPS.length)]!;
    const pings = new Map<string, PingRecord>();
    const outcome = await conductAuction(
      {
        lead: { id, vertical: VERTICAL, zip, receivedAt: at, consent: {} },
        buyers: list,
        counters: {},
        verticalFloorCents: 500,
      },
      {
        clock: { now: () => at },
        async ping(networks) {
          return networks.map((n) => {
            const r = rand();
            const latencyMs = 20 + Math.floor(rand() * 700);
            const p: PingRecord =
              r < 0.72
                ? { buyerId: n.id, outcome: "BID", bidCents: 300 + Math.floor(rand() * 5000), latencyMs }
                : r < 0.88
                  ? { buyerId: n.id, outcome: "NO_BID", latencyMs, detail: "not interested" }
                  : r < 0.97
                    ? { buyerId: n.id, outcome: "TIMEOUT", latencyMs: 1000, detail: "no answer within 1000 ms" }
                    : { buyerId: n.id, outcome: "ERROR", latencyMs, detail: "HTTP 500" };
            pings.set(n.id, p);
            return p;
          });
        },
        async post(bid) {
          if (bid.buyerType === "CONTRACTOR" || rand() < 0.8) return { accepted: true };
          return { accepted: false, lostReason: "POST_REJECTED", rawReason: "invalid phone" };
        },
        async claim() {
          return { accepted: true };
        },
      },
    );
    const phone = `901555${String(i % 10_000).padStart(4, "0")}`;
    leadRows.push({
      id,
      sellerOrgId: seller!.id,
      vertical: VERTICAL,
      zip,
      status: outcome.status,
      unsoldReason: outcome.unsoldReason,
      contact: { firstName: "Bench", lastName: `Lead ${i}`, phone },
      phoneNormalized: phone,
      receivedAt: at,
      processingAt: at,
      finishedAt: at,
      revenueCents: outcome.revenueCents,
      winnerCount: outcome.records.filter((r) => r.isWinner).length,
    });
    for (const r of outcome.records as AuctionRecord[]) {
      const p = pings.get(r.buyerId);
      const network = types.get(r.buyerId) === "NETWORK";
      txRows.push({
        leadId: id,
        buyerId: r.buyerId,
        kind: r.kind,
        pingOutcome: network ? (p?.outcome ?? null) : null,
        bidCents: r.bidCents,
        isWinner: r.isWinner,
        lostReason: r.lostReason,
        winningBidAmountCents: r.winningBidAmountCents,
        cascadePosition: r.cascadePosition,
        deliveryMethod: r.isWinner && network ? "WEBHOOK" : null,
        priceCents: r.isWinner ? r.priceCents : null,
        latencyMs: p?.latencyMs ?? null,
        postLatencyMs: network && r.cascadePosition !== null ? 40 : null,
        postResponse:
          network && r.cascadePosition !== null
            ? r.isWinner
              ? '{"accepted":true}'
              : '{"accepted":false,"reason":"invalid phone"}'
            : null,
        detail: r.detail,
        createdAt: at,
      });
    }
    for (const v of outcome.plan.verdicts) {
      eventRows.push({
        leadId: id,
        at,
        kind: "eligibility",
        buyerId: v.buyerId,
        data: v.eligible
          ? { eligible: true, priority: v.priority, detail: v.detail }
          : { eligible: false, reason: v.reason, detail: v.detail },
      });
    }
    if (leadRows.length === 1000) {
      await flush();
      progress(`recorded ${i + 1}/${count} leads`);
    }
  }
  await flush();
  await db.execute(sql`analyze leads; analyze transactions; analyze lead_events`);
  return target.id;
}

/**
 * `prepaid`: after the unchanged replay, the target network becomes PREPAID with $2,500 topped up
 * before the window, so the what-if (a higher bid, more wins) runs out of money part-way
 * (INSUFFICIENT_FUNDS) and the timed runs include the replay's money.
 */
export async function benchReplay(
  db: Db,
  opts: { leads: number; progress: (line: string) => void; prepaid?: boolean },
) {
  const now = new Date();
  opts.progress(
    `recording ${opts.leads.toLocaleString("en-US")} auctions (engine-decided, written as the live auction writes them) …`,
  );
  const g0 = performance.now();
  const targetId = await recordHistory(db, opts.leads, now, opts.progress);
  const generateMs = performance.now() - g0;
  const admin = { orgId: "00000000-0000-0000-0000-000000000000", role: "admin" };
  // Unchanged settings first: the replay must reproduce what was recorded.
  const same = await replayBuyer(db, admin, replayInputSchema.parse({ buyerId: targetId, days: 31, rows: 0 }), now);
  opts.progress(
    `unchanged replay: ${same.leads} leads in ${same.ms.total} ms; won ${same.replay.won} (recorded ${same.recorded.won}), changed ${same.gained + same.lost}`,
  );
  if (opts.prepaid) {
    // After the unchanged replay (the recording was decided without money): from now on the
    // target keeps a prepaid balance of $2,500, topped up before the window.
    await db
      .update(buyers)
      .set({ billingMode: "PREPAID" })
      .where(sql`${buyers.id} = ${targetId}::uuid`);
    await insertTopUp(db, {
      buyerId: targetId,
      amountCents: 250_000,
      note: "bench",
      key: "bench",
      by: null,
      at: new Date(now.getTime() - 32 * 86_400_000),
    });
    opts.progress("the target network is now PREPAID with $2,500 topped up before the window");
  }
  const runs: number[] = [];
  let last = same;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    last = await replayBuyer(
      db,
      admin,
      replayInputSchema.parse({
        buyerId: targetId,
        days: 31,
        changes: {
          bidCents: 3000,
          capDaily: 25,
          hours: {
            mon: [["08:00", "18:00"]],
            tue: [["08:00", "18:00"]],
            wed: [["08:00", "18:00"]],
            thu: [["08:00", "18:00"]],
            fri: [["08:00", "18:00"]],
          },
        },
      }),
      now,
    );
    runs.push(performance.now() - t0);
    opts.progress(
      `what-if replay ${i + 1}/3: ${last.leads} leads in ${runs[i]!.toFixed(0)} ms (load ${last.ms.load} ms, engine ${last.ms.replay} ms)`,
    );
  }
  const totalMs = Math.max(...runs);
  return {
    leads: last.leads,
    totalMs: Math.round(totalMs),
    runsMs: runs.map((r) => Math.round(r)),
    loadMs: last.ms.load,
    engineMs: last.ms.replay,
    reproduced:
      same.gained === 0 &&
      same.lost === 0 &&
      same.replay.won === same.recorded.won &&
      same.replay.spentCents === same.recorded.spentCents,
    recordedWon: last.recorded.won,
    replayWon: last.replay.won,
    insufficientFunds: last.lostReasons.find((x) => x.reason === "INSUFFICIENT_FUNDS")?.count ?? 0,
    replaySpentCents: last.replay.spentCents,
    generateMs: Math.round(generateMs),
  };
}

async function main() {
  const { createTestDb } = await import("@leadflow/db/testing");
  const progress = (line: string) => process.stderr.write(`[bench:replay] ${line}\n`);
  const leadsWanted = Number(process.env.BENCH_REPLAY_LEADS ?? 10_000);
  progress("creating a fresh database …");
  const t = await createTestDb({ max: 4 });
  try {
    // BENCH_REPLAY_PREPAID=1: the target keeps a prepaid balance, so the replay simulates its money.
    const r = await benchReplay(t.db, {
      leads: leadsWanted,
      progress,
      prepaid: process.env.BENCH_REPLAY_PREPAID === "1",
    });
    process.stdout.write(
      [
        `## What-if replay of ${r.leads.toLocaleString("en-US")} recorded leads`,
        "",
        "| leads | slowest of 3 runs | runs | last run: read (one READ ONLY transaction) | last run: engine | unchanged settings reproduce the recording |",
        "|---|---|---|---|---|---|",
        `| ${r.leads} | ${r.totalMs} ms | ${r.runsMs.join(" / ")} ms | ${r.loadMs} ms | ${r.engineMs} ms | ${r.reproduced ? "yes" : "NO"} |`,
        "",
        `Target: ≤ 5,000 ms. The what-if changes a network's bid, daily cap and hours; it would have won ${r.replayWon} leads (recorded ${r.recordedWon}) for ${formatCents(r.replaySpentCents)}${r.insufficientFunds ? `; ${r.insufficientFunds} refused INSUFFICIENT_FUNDS (prepaid)` : ""}.`,
        `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, PostgreSQL on loopback.`,
        "",
      ].join("\n"),
    );
  } finally {
    await t.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
