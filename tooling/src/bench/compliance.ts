// The compliance screens' benchmark (issue 19, item 2): `npm run bench:compliance`.
// 1. A do-not-call registry file of 1,000,000 numbers imported (streamed, checked line by line,
//    COPY FROM STDIN, then one INSERT … ON CONFLICT). Target: under a minute.
// 2. What screening adds to a lead, with 1,000,000 DNC numbers and 100,000 suppressed people
//    listed. The suppression lists and the DNC registry are read by the statement that starts the
//    auction (db screenHitsSql), so the screen is no round trip of its own: the benchmark starts
//    each of 2,000 leads (one at a time) with that statement as the auction runs it, and again
//    without the screens' subquery (the lead set back to RECEIVED in between; which goes first
//    alternates), and reports both and their difference. Target: the screens add ≤ 1 ms at p99.
//    Also measured: the engine-side verdict (screeningOf) and the fallback a lead without keyed
//    hashes takes (the hashes made, one indexed query: screenLead without hits).
// The litigator list is an outside provider (an HTTP request per lead where a vertical applies it,
// bounded by LITIGATOR_TIMEOUT_MS): its latency is the provider's, and it is not measured here.
// Needs the PostgreSQL server of the tests (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432).
import {
  createLead,
  importDncFile,
  parseIntake,
  personHash,
  screeningOf,
  screenLead,
  type Services,
} from "@leadflow/api";
import { insertSuppressions, leads, orgs, startReceivedLeads, verticals } from "@leadflow/db";
import { createTestDb } from "@leadflow/db/testing";
import { systemClock } from "@leadflow/engine";
import { eq } from "drizzle-orm";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import pino from "pino";

const NUMBERS = Number(process.env.BENCH_DNC_NUMBERS ?? 1_000_000);
const LEADS = Number(process.env.BENCH_SCREEN_LEADS ?? 2000);
const WARM = 200;
const SUPPRESSED = 100_000;
const KEY = "bench-person-hash-key-0123456789abcdef";
const progress = (line: string) => process.stderr.write(`[bench:compliance] ${line}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const f = (ms: number) => `${ms.toFixed(3)} ms`;
const dist = (xs: number[]) =>
  `p50 ${f(pct(xs, 50))} · p95 ${f(pct(xs, 95))} · p99 ${f(pct(xs, 99))} · max ${f(Math.max(...xs))}`;

function* registryLines(): Generator<string> {
  // Area codes 201–999, exchanges 200–999: the shape of the registry's files.
  let chunk: string[] = [];
  for (let i = 0; i < NUMBERS; i++) {
    const area = 201 + (i % 700);
    const rest = 2_000_000 + Math.floor(i / 700);
    chunk.push(`${area}${rest}`);
    if (chunk.length === 10_000) {
      yield `${chunk.join("\n")}\n`;
      chunk = [];
    }
  }
  if (chunk.length) yield `${chunk.join("\n")}\n`;
}

/** The i-th lead's person: a third of the phones on the registry, some emails on the global list. */
function person(i: number) {
  const listed = i % 3 !== 0;
  const phone = `${201 + (i % 700)}${listed ? 2_000_000 + Math.floor(i / 700) : 9_000_000 + i}`.slice(0, 10);
  return { phone, email: `person${i * 97}@bench.test` };
}

async function main() {
  progress("creating a fresh database …");
  const t = await createTestDb();
  try {
    const s: Services = {
      db: t.db,
      clock: systemClock,
      log: pino({ level: "silent" }),
      publicUrl: "http://127.0.0.1",
      personHashSecret: KEY,
    };
    progress(`importing ${NUMBERS.toLocaleString("en-US")} do-not-call numbers …`);
    const t0 = performance.now();
    const report = await importDncFile(s, { fileName: "bench.txt", userId: null }, Readable.from(registryLines()));
    const importMs = performance.now() - t0;
    progress(`listing ${SUPPRESSED.toLocaleString("en-US")} suppressed people …`);
    for (let i = 0; i < SUPPRESSED; i += 5000) {
      const entries = Array.from({ length: 5000 }, (_, j) => ({
        kind: "EMAIL" as const,
        hash: personHash(KEY, `person${i + j}@bench.test`),
      }));
      await insertSuppressions(t.db, { buyerId: null, source: "UPLOAD", uploadId: null }, entries);
    }
    await t.db.execute("analyze" as never);
    await t.db.insert(verticals).values({ key: "bench", name: "Bench", checkSuppression: true, checkDnc: true });
    const [seller] = await t.db.insert(orgs).values({ name: "Bench seller", kind: "seller" }).returning();
    const total = LEADS + WARM;
    progress(`writing ${total} leads (RECEIVED, keyed hashes made at intake) …`);
    const ids: string[] = [];
    for (let i = 0; i < total; i++) {
      const p = person(i);
      const body = parseIntake({ vertical: "bench", zip: "10001", contact: { firstName: "B", lastName: "P", ...p } });
      ids.push((await createLead(s, seller!.id, body)).id);
    }
    progress(`starting ${total} leads with and without the screens …`);
    const checks = { checkSuppression: true, checkDnc: true };
    const withScreen: number[] = [];
    const without: number[] = [];
    const diff: number[] = [];
    const verdict: number[] = [];
    let hits = 0;
    const reset = (id: string) => t.db.update(leads).set({ status: "RECEIVED" }).where(eq(leads.id, id));
    const startOnce = async (id: string, screen: boolean) => {
      const a = performance.now();
      const [row] = await startReceivedLeads(t.db, [id], new Date(), null, { screen });
      const ms = performance.now() - a;
      await reset(id);
      return { ms, row: row! };
    };
    for (let i = 0; i < total; i++) {
      const id = ids[i]!;
      // Which goes first alternates, so neither gets the warmer cache every time.
      const first = await startOnce(id, i % 2 === 0);
      const second = await startOnce(id, i % 2 !== 0);
      const on = i % 2 === 0 ? first : second;
      const off = i % 2 === 0 ? second : first;
      const a = performance.now();
      const r = on.row.screen ? screeningOf(checks, on.row.screen) : undefined;
      const v = performance.now() - a;
      if (i >= WARM) {
        withScreen.push(on.ms);
        without.push(off.ms);
        diff.push(on.ms - off.ms);
        verdict.push(v);
        if (r) hits++;
      }
    }
    progress(`the fallback: screening ${LEADS} leads by their own query …`);
    const fallback: number[] = [];
    for (let i = 0; i < total; i++) {
      const p = person(i);
      const a = performance.now();
      await screenLead(s, checks, { phoneNormalized: p.phone, emailNormalized: p.email });
      if (i >= WARM) fallback.push(performance.now() - a);
    }
    const added = pct(withScreen, 99) - pct(without, 99);
    const lines = [
      `do-not-call import: ${report.lines.toLocaleString("en-US")} lines, ${report.added.toLocaleString("en-US")} numbers added in ${(importMs / 1000).toFixed(1)} s (${Math.round(report.added / (importMs / 1000)).toLocaleString("en-US")} a second)`,
      `screening a lead (suppression lists + DNC, ${SUPPRESSED.toLocaleString("en-US")} people and ${report.added.toLocaleString("en-US")} numbers listed), ${LEADS} leads one at a time, ${hits} screened out:`,
      `  start statement with the screens:    ${dist(withScreen)}`,
      `  start statement without the screens: ${dist(without)}`,
      `  added by the screens: p99 ${f(added)} (p99 with − p99 without); per lead: p50 ${f(pct(diff, 50))} · p99 ${f(pct(diff, 99))}`,
      `  the verdict (screeningOf):           ${dist(verdict)}`,
      `  fallback (no keyed hashes: hash + one query): ${dist(fallback)}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  } finally {
    await t.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err instanceof Error ? (err.stack ?? err.message) : err)}\n`);
  process.exit(1);
});
