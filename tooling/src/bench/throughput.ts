// End-to-end throughput (issue 7, item 6): leads sent over REST with a seller's API key to real
// server processes, auctioned by the pg-boss workers against 10 simulated networks (buyer-sim in
// its own process, on this machine), on the real PostgreSQL. The figure is leads finished (SOLD
// or UNSOLD, with every record written) per second, from the first lead sent to the last finished.
//
//   node scripts/pnpm.mjs bench:throughput            (BENCH_LEADS, BENCH_CONCURRENCY, BENCH_TOPOLOGY)
//
// Topologies: "one" = one process serving HTTP and running workers; "split" = one HTTP-only
// process and one worker-only process (RUN_HTTP=false), the shape docs/scaling.md describes.
import { createApiKey } from "@leadflow/api";
import { buyers, buyerZips, orgs, rowsOf, verticals } from "@leadflow/db";
import { createTestDb } from "@leadflow/db/testing";
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { Agent, request } from "undici";
import { serverNodeFlags } from "./server-flags";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsx = `${root}tooling/node_modules/.bin/tsx`;
const LEADS = Number(process.env.BENCH_LEADS ?? 6000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const TOPOLOGIES = (process.env.BENCH_TOPOLOGY ?? "one,split").split(",");
const NETWORKS = 10;
const progress = (line: string) => process.stderr.write(`${line}\n`);

function start(name: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${out.slice(-2000)}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}): ${out.slice(-2000)}`));
    });
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 8000).unref();
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

export interface ThroughputResult {
  topology: string;
  leads: number;
  seconds: number;
  leadsPerSecond: number;
  intakePerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  sold: number;
  unsold: number;
  doubleSold: number;
}

async function run(topology: string, simPort: number, basePort: number): Promise<ThroughputResult> {
  const t = await createTestDb({ max: 4 });
  const children: ChildProcess[] = [];
  try {
    const [seller] = await t.db.insert(orgs).values({ name: "Bench seller", kind: "seller" }).returning();
    const [org] = await t.db.insert(orgs).values({ name: "Bench networks", kind: "network" }).returning();
    await t.db.insert(verticals).values({ key: "roofing", name: "Roofing" });
    const sim = `http://127.0.0.1:${simPort}`;
    const ids = Array.from({ length: NETWORKS }, (_, i) => `bench-${String(i + 1).padStart(3, "0")}`);
    const rows = await t.db
      .insert(buyers)
      .values(
        ids.map((id, i) => ({
          orgId: org!.id,
          name: `net ${i + 1}`,
          type: "NETWORK" as const,
          verticals: ["roofing"],
          pingUrl: `${sim}/networks/${id}/ping`,
          postUrl: `${sim}/networks/${id}/post`,
          pingTimeoutMs: 1000,
        })),
      )
      .returning({ id: buyers.id });
    await t.db.insert(buyerZips).values(rows.map((r) => ({ buyerId: r.id, zip: "*", priority: 1 })));
    const key = (await createApiKey(t.db, seller!.id, "bench")).key;
    // For comparison only (BENCH_ASYNC_COMMIT=1): no commit waits for the disk.
    if (process.env.BENCH_ASYNC_COMMIT === "1")
      await t.db.execute(sql.raw(`alter database "${t.name}" set synchronous_commit = off`));

    const env = {
      DATABASE_URL: t.url,
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      DEMO_TRAFFIC: "false",
      OUTBOUND_ALLOW: "127.0.0.0/8,::1",
    };
    const serverArgs = [
      ...serverNodeFlags(),
      ...(process.env.BENCH_PROF ? ["--cpu-prof", "--cpu-prof-dir=" + process.env.BENCH_PROF] : []),
      "apps/server/src/main.ts",
    ];
    const listening = /"listening"|listening/;
    if (topology === "split") {
      children.push(
        await start(
          "worker",
          serverArgs,
          { ...env, PORT: String(basePort + 1), RUN_HTTP: "false", RUN_WORKERS: "true", LOG_LEVEL: "info" },
          /worker-only/,
        ),
      );
      children.push(
        await start(
          "api",
          serverArgs,
          { ...env, PORT: String(basePort), RUN_WORKERS: "false", LOG_LEVEL: "info" },
          listening,
        ),
      );
    } else {
      children.push(
        await start(
          "server",
          serverArgs,
          { ...env, PORT: String(basePort), RUN_WORKERS: "true", LOG_LEVEL: "info" },
          listening,
        ),
      );
    }
    const api = `http://127.0.0.1:${basePort}/api/v1/leads`;
    const agent = new Agent({ connections: CONCURRENCY, pipelining: 1 });
    let phone = 3_000_000;
    const send = async () => {
      const body = JSON.stringify({
        vertical: "roofing",
        zip: "75201",
        contact: { firstName: "Bench", lastName: "Mark", phone: `512${String(++phone).padStart(7, "0")}` },
        consent: { trustedFormCertUrl: "https://cert.trustedform.com/bench" },
      });
      const r = await request(api, {
        method: "POST",
        dispatcher: agent,
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body,
      });
      const text = await r.body.text();
      if (r.statusCode >= 300) throw new Error(`intake answered ${r.statusCode}: ${text}`);
    };
    // Warm-up (JIT, connections, the buyer cache), then the clock starts on a clean table.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 10; i++) await send();
      }),
    );
    await waitFinished(t, 80, 30_000);
    await t.db.execute(sql`delete from leads`);

    progress(`  ${topology}: sending ${LEADS} leads, ${CONCURRENCY} at a time …`);
    const t0 = performance.now();
    let sent = 0;
    let answered = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent < LEADS) {
          sent++;
          await send();
          if (++answered % 1000 === 0)
            progress(`    ${answered} sent (${((answered / (performance.now() - t0)) * 1000).toFixed(0)}/s)`);
        }
      }),
    );
    const intakeSeconds = (performance.now() - t0) / 1000;
    await waitFinished(t, LEADS, 300_000, (n) => progress(`    ${n} finished`));
    const seconds = (performance.now() - t0) / 1000;
    const [stats] = rowsOf<{ sold: number; unsold: number; double: number }>(
      await t.db
        .execute(sql`select count(*) filter (where status = 'SOLD')::int as sold, count(*) filter (where status = 'UNSOLD')::int as unsold,
        (select count(*) from (select lead_id from transactions where is_winner group by lead_id having count(*) > 1) d)::int as double from leads`),
    );
    const lat = rowsOf<{ ms: number }>(
      await t.db.execute(sql`select extract(epoch from (finished_at - received_at)) * 1000 as ms from leads`),
    ).map((r) => Number(r.ms));
    await agent.close();
    return {
      topology,
      leads: LEADS,
      seconds,
      leadsPerSecond: LEADS / seconds,
      intakePerSecond: LEADS / intakeSeconds,
      latencyP50Ms: pct(lat, 50),
      latencyP99Ms: pct(lat, 99),
      sold: stats!.sold,
      unsold: stats!.unsold,
      doubleSold: stats!.double,
    };
  } finally {
    for (const c of children.reverse()) await stop(c);
    await t.drop();
  }
}

async function waitFinished(
  t: Awaited<ReturnType<typeof createTestDb>>,
  n: number,
  timeoutMs: number,
  onProgress?: (done: number) => void,
) {
  const end = performance.now() + timeoutMs;
  let last = -1;
  while (performance.now() < end) {
    const [r] = rowsOf<{ n: number }>(
      await t.db.execute(sql`select count(*)::int as n from leads where status in ('SOLD', 'UNSOLD')`),
    );
    if (r!.n >= n) return;
    if (onProgress && r!.n - last >= 1000) {
      onProgress(r!.n);
      last = r!.n;
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`only some of ${n} leads finished within ${timeoutMs} ms`);
}

export async function benchThroughput(out: (line: string) => void): Promise<ThroughputResult[]> {
  const simPort = 4700;
  const sim = await start(
    "buyer-sim",
    [
      "apps/buyer-sim/src/main.ts",
      "--networks",
      String(NETWORKS),
      "--latency",
      "0",
      "--port",
      String(simPort),
      "--seed",
      "7",
    ],
    {},
    /listening/,
  );
  const results: ThroughputResult[] = [];
  try {
    for (const [i, topology] of TOPOLOGIES.entries()) {
      const r = await run(topology, simPort, 4710 + i * 10);
      results.push(r);
      out(
        `throughput (${topology === "split" ? "one HTTP process + one worker process" : "one process, HTTP and workers"}): ${r.leads} leads over REST, 10 instant networks: ` +
          `${r.leadsPerSecond.toFixed(0)} leads/s finished (target ≥ 300), intake ${r.intakePerSecond.toFixed(0)}/s, ` +
          `received→finished p50 ${r.latencyP50Ms.toFixed(0)} ms p99 ${r.latencyP99Ms.toFixed(0)} ms; ${r.sold} sold, ${r.unsold} unsold, ${r.doubleSold} sold twice`,
      );
    }
  } finally {
    await stop(sim);
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(
    `machine: ${os.cpus()[0]?.model ?? "?"} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}\n`,
  );
  await benchThroughput((l) => process.stdout.write(`${l}\n`));
  process.exit(0);
}
