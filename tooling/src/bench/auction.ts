// The auction benchmark (issue 3, item 13): `node scripts/pnpm.mjs bench:auction`.
// Every figure is measured beside a bare fan-out of the same pings and POST through the same
// undici agent in the same run, so the ratio shows what the platform adds, not the machine.
// Needs the PostgreSQL server of the tests (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432).
import {
  buyerAgent,
  closeBuyerAgent,
  createLead,
  outboundPolicy,
  parseIntake,
  runAuction,
  type Services,
  type Timings,
} from "@leadflow/api";
import { generateNetworks, startBuyerSim, type BuyerSim, type Distribution } from "@leadflow/buyer-sim";
import { buyerLedger, buyers, buyerZips, createDb, orgs, rowsOf, verticals, type DbHandle } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { buildPingBody, buildPostBody, parsePingResponse, systemClock, type RequestTemplate } from "@leadflow/engine";
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import os from "node:os";
import { performance } from "node:perf_hooks";
import pino from "pino";
import { sql } from "drizzle-orm";
import { request } from "undici";

const PREPAID = process.env.BENCH_PREPAID === "1";
const TEMPLATES = process.env.BENCH_TEMPLATES === "1";

/**
 * BENCH_TEMPLATES=1: every network gets a request template (docs/request-templates.md), so each
 * ping and post is built field by field from the template, with a value map, static fields,
 * nested names and bearer auth, instead of LeadFlow's own body. JSON, because the buyer-sim reads
 * JSON and checks what it reads (ping without contact, post with the pinged bid); the names are
 * the sim's own, so it still bids and accepts as before.
 */
const BENCH_TEMPLATE: RequestTemplate = {
  ping: {
    format: "JSON",
    fields: [
      { name: "pingId", source: "pingId" },
      { name: "leadId", source: "leadId" },
      { name: "vertical", source: "vertical" },
      { name: "zip", source: "zip" },
      { name: "state", source: "state", map: { TX: "Texas", TN: "Tennessee" }, default: "unknown" },
      { name: "consent.trustedFormCertUrl", source: "consent.trustedFormCertUrl" },
      { name: "campaign", value: "C-7" },
      { name: "test", value: false },
    ],
  },
  post: {
    format: "JSON",
    fields: [
      { name: "pingId", source: "pingId" },
      { name: "leadId", source: "leadId" },
      { name: "bidCents", source: "bidCents" },
      { name: "price", source: "bidDollars" },
      { name: "lead.first_name", source: "contact.firstName" },
      { name: "lead.last_name", source: "contact.lastName" },
      { name: "lead.phone", source: "contact.phone" },
      { name: "lead.zip", source: "zip" },
      { name: "lead.state", source: "state", map: { TX: "Texas" } },
      { name: "campaign", value: "C-7" },
    ],
  },
  auth: { kind: "BEARER" },
};

const log = pino({ level: "silent" });
let phone = 1_000_000;

interface Setup {
  t: TestDb;
  s: Services;
  sim: BuyerSim;
  urls: { ping: string; post: string }[];
  sellerOrgId: string;
  close(): Promise<void>;
}

/** The simulated networks listen on loopback; the baseline goes through the same guarded agent. */
const BENCH_OUTBOUND = outboundPolicy("127.0.0.0/8,::1");

async function setup(n: number, latencyMs: Distribution, hang = 0, timeoutMs = 1000, durable = true): Promise<Setup> {
  const t = await createTestDb({ max: Number(process.env.BENCH_POOL ?? 10) });
  let extra: DbHandle | null = null;
  if (!durable) {
    // For comparison only: what the platform costs when no commit waits for the disk.
    await t.db.execute(sql.raw(`alter database "${t.name}" set synchronous_commit = off`));
    extra = await createDb({ databaseUrl: t.url, max: 40 });
  }
  const s: Services = {
    db: (extra ?? t).db,
    handle: extra ?? t,
    clock: systemClock,
    log,
    publicUrl: "http://127.0.0.1",
    outbound: BENCH_OUTBOUND,
  };
  const networks = generateNetworks(n, { latencyMs });
  const ids = Object.keys(networks);
  for (const id of ids.slice(0, hang)) networks[id] = { ...networks[id], failures: { ping: { hang: 1 } } };
  const sim = await startBuyerSim({ seed: 7, networks });
  const [seller] = await t.db.insert(orgs).values({ name: "Bench seller", kind: "seller" }).returning();
  const [org] = await t.db.insert(orgs).values({ name: "Bench networks", kind: "network" }).returning();
  await t.db.insert(verticals).values({ key: "roofing", name: "Roofing" });
  const urls = ids.map((id) => ({ ping: sim.pingUrl(id), post: sim.postUrl(id) }));
  const rows = await t.db
    .insert(buyers)
    .values(
      urls.map((u, i) => ({
        orgId: org!.id,
        name: `net ${i}`,
        type: "NETWORK" as const,
        verticals: ["roofing"],
        pingUrl: u.ping,
        postUrl: u.post,
        pingTimeoutMs: timeoutMs,
        // BENCH_PREPAID=1: every network prepaid (docs/billing.md), so each sale locks the buyer,
        // reads its balance and is charged on the ledger; the balance never runs out.
        ...(PREPAID ? { billingMode: "PREPAID" as const } : {}),
        ...(TEMPLATES ? { requestTemplate: BENCH_TEMPLATE, requestAuthSecret: `bench-secret-${i}` } : {}),
      })),
    )
    .returning({ id: buyers.id });
  if (PREPAID)
    await t.db
      .insert(buyerLedger)
      .values(rows.map((r) => ({ buyerId: r.id, kind: "TOP_UP" as const, amountCents: 100_000_000_000 })));
  await t.db.insert(buyerZips).values(rows.map((r) => ({ buyerId: r.id, zip: "*", priority: 1 })));
  return {
    t,
    s,
    sim,
    urls,
    sellerOrgId: seller!.id,
    close: async () => (await sim.close(), await extra?.close(), await t.drop()),
  };
}

const body = () => ({
  vertical: "roofing",
  zip: "75201",
  contact: { firstName: "Bench", lastName: "Mark", phone: `512${String(++phone).padStart(7, "0")}` },
  consent: { trustedFormCertUrl: "https://cert.trustedform.com/bench" },
});

const phases: Timings[] = [];
/** Every platform lead's outcome: a template a buyer could not read would show as UNSOLD here. */
const outcomes = new Map<string, number>();
/** One lead through the platform: intake write, auction, finalize. */
async function platformLead(x: Setup): Promise<number> {
  const start = performance.now();
  // As REST does for a source that waits (submit.ts): the lead is written already started.
  const { id, started } = await createLead(x.s, x.sellerOrgId, parseIntake(body()), { deferFsync: true, start: true });
  const run = await runAuction(x.s, id, started);
  if (run.timings) phases.push(run.timings);
  const status = run.outcome?.status ?? "NOT RUN";
  outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
  return performance.now() - start;
}

/** Mean time per auction phase since the last call, so each figure can say where time went. */
function phaseLine(): string {
  const keys = ["load", "ping", "sale", "finalize", "deliver", "total"] as const;
  const line = keys
    .map((k) => `${k} ${(phases.reduce((a, t) => a + t[k], 0) / Math.max(1, phases.length)).toFixed(1)}`)
    .join(", ");
  phases.length = 0;
  return `    phases (mean ms): ${line}`;
}

/** The same pings and the winner's POST, nothing else: what any client must spend. */
async function bareLead(x: Setup, timeoutMs: number): Promise<number> {
  const start = performance.now();
  const lead = {
    id: randomUUID(),
    vertical: "roofing",
    zip: "75201",
    state: null,
    fields: {},
    contact: body().contact,
    consent: {},
  };
  const phase = AbortSignal.timeout(timeoutMs);
  setMaxListeners(x.urls.length + 10, phase);
  const bids = await Promise.all(
    x.urls.map(async (u) => {
      const pingId = randomUUID();
      try {
        const r = await request(u.ping, {
          method: "POST",
          dispatcher: buyerAgent(BENCH_OUTBOUND),
          headers: { "content-type": "application/json" },
          body: JSON.stringify(buildPingBody(lead, pingId)),
          signal: phase,
        });
        const p = parsePingResponse(r.statusCode, await r.body.text());
        return p.outcome === "BID" ? { u, pingId, cents: p.bidCents } : null;
      } catch {
        return null;
      }
    }),
  );
  const best = bids.filter((b) => b !== null).sort((a, b) => b.cents - a.cents)[0];
  if (best) {
    const r = await request(best.u.post, {
      method: "POST",
      dispatcher: buyerAgent(BENCH_OUTBOUND),
      headers: { "content-type": "application/json" },
      body: JSON.stringify(buildPostBody(lead, best.pingId, best.cents)),
    });
    await r.body.text();
  }
  return performance.now() - start;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ms = (v: number) => `${v.toFixed(1)} ms`;

/** Alternates platform and bare leads so both see the same machine state. */
async function paired(x: Setup, leads: number, timeoutMs: number) {
  for (let i = 0; i < 10; i++) {
    await platformLead(x); // warm-up: connections, JIT
    await bareLead(x, timeoutMs);
  }
  const p: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < leads; i++) {
    p.push(await platformLead(x));
    b.push(await bareLead(x, timeoutMs));
  }
  return { p, b };
}

async function throughput(run: () => Promise<unknown>, concurrency: number, seconds: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await run();
        done++;
      }
    }),
  );
  return done / seconds;
}

const lines: string[] = [];
const out = (l: string) => {
  lines.push(l);
  process.stdout.write(`${l}\n`);
};

const realistic: Distribution = { kind: "uniform", min: 20, max: 150 };
const LEADS = Number(process.env.BENCH_LEADS ?? 100);

out(
  `machine: ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.platform()} ${os.release()}, node ${process.version}, load average at start ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);

if (PREPAID) out("BENCH_PREPAID=1: every network prepaid (claim_sale locks it, reads its balance, charges the ledger)");
if (TEMPLATES)
  out("BENCH_TEMPLATES=1: every network has a JSON request template with a value map, static fields and bearer auth");

// BENCH_ONLY=a,b,c,d runs only those figures (while working on one).
const only = new Set((process.env.BENCH_ONLY ?? "a,b,c,d").split(","));

for (const n of only.has("a") ? [10, 50] : []) {
  const x = await setup(n, realistic);
  const [{ version }] = rowsOf<{ version: string }>(await x.t.db.execute(sql`select version()`)) as [
    { version: string },
  ];
  if (n === 10) out(`database: ${version.split(",")[0]}`);
  const { p, b } = await paired(x, LEADS, 1000);
  out(
    `(a) ${n} networks, latency 20-150 ms, ${LEADS} leads: platform mean ${ms(mean(p))} p50 ${ms(pct(p, 50))} | bare mean ${ms(mean(b))} p50 ${ms(pct(b, 50))} | ratio ${(mean(p) / mean(b)).toFixed(3)} (target ≤ 1.1)`,
  );
  out(phaseLine());
  await x.close();
}

if (only.has("b") || only.has("d")) {
  const x = await setup(10, { kind: "fixed", value: 0 });
  if (only.has("b")) {
    const { p, b } = await paired(x, LEADS * 3, 1000);
    const bareMedian = pct(b, 50);
    const over = p.map((v) => v - bareMedian);
    out(
      `(b) 10 instant networks, ${LEADS * 3} leads: platform p50 ${ms(pct(p, 50))} p99 ${ms(pct(p, 99))} | bare p50 ${ms(pct(b, 50))} p99 ${ms(pct(b, 99))} | overhead p50 ${ms(pct(over, 50))} p99 ${ms(pct(over, 99))} (targets ≤ 10 ms, ≤ 50 ms)`,
    );
    out(phaseLine());
  } else await paired(x, 20, 1000); // warm-up only
  if (only.has("d")) {
    // The pool is the server's default (DATABASE_POOL_SIZE 10), as a deployment would run it.
    const conc = 16;
    const secs = Number(process.env.BENCH_SECONDS ?? 10);
    const plat = await throughput(() => platformLead(x), conc, secs);
    phases.length = 0;
    const bare = await throughput(() => bareLead(x, 1000), conc, secs);
    out(
      `(d) saturation, 10 instant networks, ${conc} concurrent, ${secs} s each: platform ${plat.toFixed(0)} leads/s | bare ${bare.toFixed(0)} leads/s | ${((plat / bare) * 100).toFixed(0)}% (target ≥ 30%)`,
    );
  }
  await x.close();
}

if (only.has("b")) {
  const x = await setup(10, { kind: "fixed", value: 0 }, 0, 1000, false);
  const { p, b } = await paired(x, LEADS * 3, 1000);
  const over = p.map((v) => v - pct(b, 50));
  out(
    `(b') the same with synchronous_commit = off (no commit waits for the disk; comparison only): platform p50 ${ms(pct(p, 50))} p99 ${ms(pct(p, 99))} | bare p50 ${ms(pct(b, 50))} | overhead p50 ${ms(pct(over, 50))} p99 ${ms(pct(over, 99))}`,
  );
  out(phaseLine());
  await x.close();
}

if (only.has("c")) {
  const deadline = 200;
  const x = await setup(10, { kind: "fixed", value: 0 }, 3, deadline);
  // As many leads as (b): a p99 of 100 is the worst lead or two, one slow fsync away from a miss.
  const n = LEADS * 3;
  const { p, b } = await paired(x, n, deadline);
  // From the start of the ping phase: how long after its deadline the auction is over (sale,
  // finalize and hand-off included). Intake and buyer loading come before the deadline starts.
  const late = phases.slice(-n).map((t) => t.ping + t.sale + t.finalize + t.deliver - deadline);
  const whole = p.map((v) => v - deadline);
  out(
    `(c) 3 of 10 networks hang, deadline ${deadline} ms, ${n} leads: auction over after the deadline by p50 ${ms(pct(late, 50))} p99 ${ms(pct(late, 99))} (target ≤ 25 ms at p99); whole request incl. intake p50 ${ms(pct(whole, 50))} p99 ${ms(pct(whole, 99))} | bare p50 ${ms(pct(b, 50) - deadline)} p99 ${ms(pct(b, 99) - deadline)}`,
  );
  out(phaseLine());
  await x.close();
}

out(
  `platform leads by outcome: ${[...outcomes]
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(", ")}`,
);
await closeBuyerAgent();
process.stdout.write("\nPaste into docs/benchmarks.md:\n\n" + lines.map((l) => `    ${l}`).join("\n") + "\n");
process.exit(0);
