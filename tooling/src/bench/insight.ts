// The analytics benchmark (issue 6, item 5): `npm run bench:insight`.
// In a fresh database on the real PostgreSQL server: 1,000,000 auction transactions with the
// leads, buyers, timeline events and deliveries they belong to (COPY through postgres.js), a DJ
// marketplace of the demo's scale ×100, the rollup job once (as pg-boss would run it), then every
// admin chart timed over repeated runs with varied filters (range, vertical, buyer). When the
// replay benchmark (tooling/src/bench/replay.ts) exists, 10,000 leads are replayed too.
// Figures go to stdout and into docs/benchmarks.md (the analytics section); progress to stderr.
// BENCH_TRANSACTIONS (default 1,000,000) and BENCH_RUNS (default 40 per chart) size it.
import {
  buyerPerformanceChart,
  deliveriesChart,
  lostReasonsChart,
  marketplaceChart,
  resolveFilters,
  revenueChart,
  rollupAnalytics,
  type Filters,
} from "@leadflow/api";
import { generateHistory, type HistoryBuyer, type HistoryLead } from "../history/history";
import { buyers, orgs, verticals, type Db } from "@leadflow/db";
import { createTestDb } from "@leadflow/db/testing";
import { DELIVERY_METHODS } from "@leadflow/engine";
import { sql } from "drizzle-orm";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import type { Writable } from "node:stream";
import { fileURLToPath } from "node:url";

const TARGET_TX = Number(process.env.BENCH_TRANSACTIONS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
// BENCH_KEEP_DB=1 keeps the database afterwards (its name goes to stderr) for EXPLAIN.
const DAYS = 180;
const progress = (line: string) => process.stderr.write(`${line}\n`);
const lines: string[] = [];
const out = (line: string) => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};

const VERTICALS = [
  { key: "roofing", name: "Roofing", floorCents: 1500 },
  { key: "solar", name: "Solar", floorCents: 2500 },
  { key: "hvac", name: "HVAC", floorCents: 1200 },
  { key: "windows", name: "Windows", floorCents: 1000 },
  { key: "plumbing", name: "Plumbing", floorCents: 800 },
];

// COPY text format: tab-separated, \N for null, backslash escapes.
const cell = (v: unknown): string => {
  if (v === null || v === undefined) return "\\N";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "boolean") return v ? "t" : "f";
  const s = typeof v === "object" ? JSON.stringify(v) : String(v);
  return s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
};

const COPY = {
  leads: [
    "id",
    "seller_org_id",
    "vertical",
    "zip",
    "status",
    "unsold_reason",
    "contact",
    "received_at",
    "processing_at",
    "finished_at",
    "revenue_cents",
    "winner_count",
  ],
  transactions: [
    "lead_id",
    "buyer_id",
    "kind",
    "ping_outcome",
    "bid_cents",
    "is_winner",
    "lost_reason",
    "winning_bid_amount_cents",
    "cascade_position",
    "delivery_method",
    "price_cents",
    "latency_ms",
    "post_latency_ms",
    "detail",
    "error",
    "created_at",
  ],
  lead_events: ["lead_id", "at", "kind", "buyer_id", "data"],
  deliveries: [
    "lead_id",
    "buyer_id",
    "method",
    "status",
    "attempts",
    "last_error",
    "webhook_id",
    "delivered_at",
    "created_at",
  ],
} as const;
const camel = (c: string) => c.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase());
const defaults: Record<string, unknown> = {
  isWinner: false,
  revenueCents: 0,
  winnerCount: 0,
  attempts: 0,
  status: "pending",
};

/** The postgres.js client under drizzle: COPY goes through it. */
interface CopyClient {
  unsafe(query: string): { writable(): Promise<Writable> };
}

async function copyRows(client: CopyClient, table: keyof typeof COPY, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = COPY[table];
  const stream = await client.unsafe(`copy ${table} (${cols.join(", ")}) from stdin`).writable();
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  let buf = "";
  for (const r of rows) {
    buf += `${cols.map((c) => cell(r[camel(c)] ?? defaults[camel(c)])).join("\t")}\n`;
    if (buf.length > 1 << 20) {
      if (!stream.write(buf)) await new Promise((r2) => stream.once("drain", r2));
      buf = "";
    }
  }
  stream.end(buf);
  await done;
}

async function makeWorld(db: Db): Promise<{ sellerOrgId: string; buyers: HistoryBuyer[] }> {
  await db.insert(verticals).values(VERTICALS);
  const [seller] = await db.insert(orgs).values({ name: "Bench seller", kind: "seller" }).returning();
  const [netOrg] = await db.insert(orgs).values({ name: "Bench networks", kind: "network" }).returning();
  const [conOrg] = await db.insert(orgs).values({ name: "Bench contractors", kind: "contractor" }).returning();
  const keys = VERTICALS.map((v) => v.key);
  const specs = [
    ...Array.from({ length: 30 }, (_, i) => ({
      orgId: netOrg!.id,
      name: `Network ${i + 1}`,
      type: "NETWORK" as const,
      verticals: keys.filter((_, k) => (i + k) % 3 !== 0),
      pingUrl: "http://127.0.0.1:9/ping",
      postUrl: "http://127.0.0.1:9/post",
      minBidCents: 1000 + (i % 5) * 500,
      pingTimeoutMs: 800 + (i % 3) * 200,
    })),
    ...Array.from({ length: 20 }, (_, i) => ({
      orgId: conOrg!.id,
      name: `Contractor ${i + 1}`,
      type: "CONTRACTOR" as const,
      verticals: [keys[i % keys.length]!],
      deliveryMode: i % 2 ? ("SHARED" as const) : ("EXCLUSIVE" as const),
      maxSharedLeads: 2 + (i % 2),
      fixedLeadPriceCents: 3000 + i * 100,
    })),
  ];
  const rows = await db.insert(buyers).values(specs).returning();
  return {
    sellerOrgId: seller!.id,
    buyers: rows.map((b, i) => ({
      id: b.id,
      type: b.type,
      verticals: b.verticals,
      minBidCents: b.minBidCents,
      pingTimeoutMs: b.pingTimeoutMs,
      deliveryMode: b.deliveryMode,
      maxSharedLeads: b.maxSharedLeads,
      priceCents: b.fixedLeadPriceCents ?? 3000,
      methods: DELIVERY_METHODS.filter((_, k) => (i + k) % 2 === 0 || k === 2),
    })),
  };
}

async function fillAuction(client: CopyClient, world: { sellerOrgId: string; buyers: HistoryBuyer[] }, now: Date) {
  const gen = generateHistory({
    sellerOrgId: world.sellerOrgId,
    buyers: world.buyers,
    verticals: VERTICALS,
    zips: ["38103", "37203", "30303", "80202", "75201"],
    from: new Date(now.getTime() - DAYS * 86_400_000),
    to: new Date(now.getTime() - 60_000),
    leads: Number.MAX_SAFE_INTEGER,
    seed: 2026,
  });
  const counts = { leads: 0, transactions: 0, events: 0, deliveries: 0 };
  const started = performance.now();
  let chunk: HistoryLead[] = [];
  let chunkTx = 0;
  const flush = async () => {
    await copyRows(client, "leads", chunk.map((h) => h.lead) as never);
    await copyRows(client, "transactions", chunk.flatMap((h) => h.transactions) as never);
    await copyRows(client, "lead_events", chunk.flatMap((h) => h.events) as never);
    await copyRows(client, "deliveries", chunk.flatMap((h) => h.deliveries) as never);
    counts.leads += chunk.length;
    counts.transactions += chunkTx;
    counts.events += chunk.reduce((a, h) => a + h.events.length, 0);
    counts.deliveries += chunk.reduce((a, h) => a + h.deliveries.length, 0);
    const s = (performance.now() - started) / 1000;
    progress(
      `  ${counts.transactions.toLocaleString("en-US")} / ${TARGET_TX.toLocaleString("en-US")} transactions (${counts.leads.toLocaleString("en-US")} leads) in ${s.toFixed(0)} s`,
    );
    chunk = [];
    chunkTx = 0;
  };
  for (const h of gen) {
    // Whole leads only: the last one may take the total a few transactions past the target.
    if (counts.transactions + chunkTx >= TARGET_TX) break;
    chunk.push(h);
    chunkTx += h.transactions.length;
    if (chunkTx >= 50_000) await flush();
  }
  if (chunk.length) await flush();
  return { ...counts, seconds: (performance.now() - started) / 1000 };
}

/** The DJ marketplace at 100× the demo: 600 DJs, 60,000 inquiries, 150,000 offers, server-side. */
async function fillMarketplace(db: Db, now: Date) {
  const nowIso = now.toISOString();
  await db.execute(sql`insert into djs (name, city, state, price_min_cents, price_max_cents, reliability)
    select 'DJ ' || g, (array['Memphis','Nashville','Atlanta','Denver','Austin','Chicago'])[1 + g % 6], 'TN', 60000 + (g % 10) * 10000, 150000 + (g % 10) * 20000, 60 + g % 40
    from generate_series(1, 600) g`);
  await db.execute(sql`insert into market_leads (contact, city, event_type, event_date, budget_min_cents, budget_max_cents, comparison_token_hash,
      state, phase_seq, created_at, first_response_at, accepted_at, converted_at, booking_value_cents)
    select jsonb_build_object('name', 'Customer ' || g), (array['Memphis','Nashville','Atlanta','Denver','Austin','Chicago'])[1 + g % 6],
      (array['wedding','corporate','private_party','birthday','school_dance','anniversary','other']::event_type[])[1 + (g * 7) % 7],
      (${nowIso}::timestamptz + ((g % 300) || ' days')::interval)::date, 80000, 250000, md5('bench' || g),
      (case when g % 4 = 0 then 'converted' when g % 3 = 0 then 'accepted' else 'closed' end)::market_lead_state, 1,
      c, c + interval '35 minutes', case when g % 4 = 0 or g % 3 = 0 then c + interval '35 minutes' end,
      case when g % 4 = 0 then c + interval '3 days' end, case when g % 4 = 0 then 90000 + (g % 17) * 8000 end
    from generate_series(1, 60000) g, lateral (select ${nowIso}::timestamptz - ((g % ${DAYS * 24}) || ' hours')::interval as c) t`);
  await db.execute(sql`insert into lead_assignments (lead_id, dj_id, phase, phase_seq, status, offered_at, window_ends_at, responded_at, quote_cents)
    select m.id, d.id, 'exclusive', 1, case when k = 0 and m.accepted_at is not null then 'accepted' else 'ignored' end::assignment_status,
      m.created_at, m.created_at + interval '2 hours', case when k = 0 and m.accepted_at is not null then m.created_at + interval '35 minutes' end,
      case when k = 0 and m.accepted_at is not null then 100000 + (abs(hashtext(m.id::text)) % 20) * 5000 end
    from market_leads m cross join generate_series(0, 2) k
      join lateral (select id from djs where djs.city = m.city order by id offset k limit 1) d on true
    where k < 2 or m.accepted_at is null`);
  await db.execute(sql`insert into market_funnel_counters (day, city, metric, count)
    select (${nowIso}::timestamptz - (g || ' days')::interval)::date, c, metric, 50 + g % 30
    from generate_series(0, ${DAYS}) g, unnest(array['Memphis','Nashville','Atlanta','Denver','Austin','Chicago']) c,
      unnest(array['calculator_view','inquiry','inquiry_from_calculator']) metric`);
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function main() {
  const started = new Date();
  const load0 = os.loadavg();
  out(
    `machine: ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.platform()} ${os.release()}, node ${process.version}, load average at start ${load0.map((l) => l.toFixed(1)).join(" ")}`,
  );
  const t = await createTestDb({ max: 4 });
  const client = (t.db as unknown as { $client: CopyClient }).$client;
  try {
    const [v] = (await t.db.execute(sql`select version() as v`)) as unknown as { v: string }[];
    out(`database: ${v!.v.split(",")[0]}`);
    const now = new Date();
    progress(`building ${TARGET_TX.toLocaleString("en-US")} transactions over ${DAYS} days in ${t.name} …`);
    const world = await makeWorld(t.db);
    const filled = await fillAuction(client, world, now);
    out(
      `data: ${filled.transactions.toLocaleString("en-US")} transactions, ${filled.leads.toLocaleString("en-US")} leads, ${filled.events.toLocaleString("en-US")} timeline events, ${filled.deliveries.toLocaleString("en-US")} deliveries, ${world.buyers.length} buyers, ${DAYS} days, written by COPY in ${filled.seconds.toFixed(1)} s`,
    );
    progress("building the marketplace …");
    await fillMarketplace(t.db, now);
    await t.db.execute(sql`analyze`);
    progress("rolling up (the analytics-rollup job's work, first run over all history) …");
    let r0 = performance.now();
    const rolled = await rollupAnalytics(t.db, now);
    out(
      `rollup, first run over all ${DAYS} days: ${(performance.now() - r0).toFixed(0)} ms (${rolled.map((r) => `${r.name} ${r.rows} rows`).join(", ")})`,
    );
    r0 = performance.now();
    await rollupAnalytics(t.db, now);
    out(`rollup, a later run (re-rolls the last two closed days): ${(performance.now() - r0).toFixed(0)} ms`);
    await t.db.execute(sql`analyze`);

    const charts: [string, (db: Db, f: Filters) => Promise<unknown>][] = [
      ["lost reasons (over time, by buyer, by vertical)", lostReasonsChart],
      ["buyers (acceptance, post-reject, latency, timeouts, cascade)", buyerPerformanceChart],
      ["revenue and revenue per lead", revenueChart],
      ["contractor deliveries by method and mode", deliveriesChart],
      ["marketplace (funnel, targets, supply/demand, prices)", marketplaceChart],
    ];
    const today = now.toISOString().slice(0, 10);
    const addDays = (d: string, n: number) =>
      new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const spans = [7, 30, 90, 180];
    out(
      `charts: ${RUNS} runs each after 3 warm-up runs; filters vary per run: range of ${spans.join("/")} days ending today (live tail included) or up to 60 days back, a vertical in half the runs, a buyer in a third`,
    );
    out("| chart | p50 | p95 | max | target p95 |");
    out("|---|---|---|---|---|");
    const summary: { name: string; p95: number }[] = [];
    for (const [name, fn] of charts) {
      const times: number[] = [];
      for (let i = -3; i < RUNS; i++) {
        const j = i + 3;
        const to = j % 3 === 0 ? today : addDays(today, -(j * 7) % 60);
        const input = {
          from: addDays(to, -(spans[j % spans.length]! - 1)),
          to,
          vertical: j % 2 === 0 ? VERTICALS[j % VERTICALS.length]!.key : undefined,
          buyerId: j % 3 === 1 ? world.buyers[j % world.buyers.length]!.id : undefined,
        };
        const s = performance.now();
        const f = await resolveFilters(t.db, now, input);
        await fn(t.db, f);
        if (i >= 0) times.push(performance.now() - s);
      }
      const p95 = pct(times, 95);
      summary.push({ name, p95 });
      out(
        `| ${name} | ${pct(times, 50).toFixed(1)} ms | ${p95.toFixed(1)} ms | ${Math.max(...times).toFixed(1)} ms | ≤ 200 ms: ${p95 <= 200 ? "met" : "**not met**"} |`,
      );
    }

    const replayPath = fileURLToPath(new URL("./replay.ts", import.meta.url));
    if (existsSync(replayPath)) {
      progress("replaying 10,000 leads (tooling/src/bench/replay.ts) …");
      const mod = (await import(replayPath)) as {
        benchReplay?: (
          db: Db,
          opts: { leads: number; progress: (line: string) => void },
        ) => Promise<{ leads: number; totalMs: number; [k: string]: unknown }>;
      };
      if (mod.benchReplay) {
        const r = await mod.benchReplay(t.db, { leads: 10_000, progress });
        const extra = Object.entries(r)
          .filter(([k]) => k !== "leads" && k !== "totalMs")
          .map(
            ([k, x]) => `${k} ${typeof x === "number" ? (Number.isInteger(x) ? x : x.toFixed(1)) : JSON.stringify(x)}`,
          );
        out(
          `replay: ${r.leads.toLocaleString("en-US")} leads in ${(r.totalMs / 1000).toFixed(2)} s (target ≤ 5 s: ${r.totalMs <= 5000 ? "met" : "**not met**"})${extra.length ? `; ${extra.join(", ")}` : ""}`,
        );
      } else out("replay: tooling/src/bench/replay.ts has no benchReplay export yet");
    } else out("replay: not run (tooling/src/bench/replay.ts does not exist yet)");
    out(
      `load average at end ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    );
    if (TARGET_TX >= 1_000_000) writeDoc(started, load0, lines);
    else progress("docs/benchmarks.md left as it is: only a run of 1,000,000 transactions or more is written there");
  } finally {
    // BENCH_KEEP_DB=1 keeps the database for EXPLAIN; it is dropped otherwise.
    if (process.env.BENCH_KEEP_DB === "1") {
      progress(`kept database ${t.name}`);
      await t.close();
    } else await t.drop();
  }
}

/** Replaces the analytics section of docs/benchmarks.md (between its markers) with this run's figures. */
function writeDoc(at: Date, load: number[], body: string[]) {
  const path = fileURLToPath(new URL("../../../docs/benchmarks.md", import.meta.url));
  const doc = readFileSync(path, "utf8");
  const start = "<!-- bench:insight:start -->";
  const end = "<!-- bench:insight:end -->";
  const busy = load[0]! > os.cpus().length;
  const section = [
    start,
    `### Latest run (${at.toISOString().slice(0, 16).replace("T", " ")} UTC, written by \`npm run bench:insight\`)`,
    "",
    busy
      ? `**Run under load**: the machine was shared with other engineers' work (load average ${load.map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores at the start), so these figures are pessimistic; re-run on a quiet machine for the reference figures.`
      : `The machine was quiet (load average ${load.map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores at the start).`,
    "",
    ...body
      .map((l) => (l.startsWith("|") ? l : `    ${l}`))
      .flatMap((l, i, all) => (l.startsWith("|") !== (all[i + 1] ?? "").startsWith("|") ? [l, ""] : [l])),
    end,
  ].join("\n");
  const next = doc.includes(start)
    ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), section)
    : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
}

await main();
