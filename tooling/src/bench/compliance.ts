// The compliance screens' benchmark (issue 19, item 2): `npm run bench:compliance`.
// 1. A do-not-call registry file of 1,000,000 numbers imported (streamed, checked line by line,
//    COPY FROM STDIN, then one INSERT … ON CONFLICT). Target: under a minute.
// 2. What screening adds to a lead: screenLead (the keyed hashes of phone and email, one indexed
//    query against the suppression lists and the DNC table) for 2,000 leads, one at a time,
//    with 1,000,000 DNC numbers and 100,000 suppressed people listed. Target: p99 ≤ 1 ms.
// Needs the PostgreSQL server of the tests (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432).
import { importDncFile, personHash, screenLead, type Services } from "@leadflow/api";
import { insertSuppressions } from "@leadflow/db";
import { createTestDb } from "@leadflow/db/testing";
import { systemClock } from "@leadflow/engine";
import { performance } from "node:perf_hooks";
import { Readable } from "node:stream";
import pino from "pino";

const NUMBERS = Number(process.env.BENCH_DNC_NUMBERS ?? 1_000_000);
const LEADS = Number(process.env.BENCH_SCREEN_LEADS ?? 2000);
const SUPPRESSED = 100_000;
const KEY = "bench-person-hash-key-0123456789abcdef";
const progress = (line: string) => process.stderr.write(`[bench:compliance] ${line}\n`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

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
    progress(`screening ${LEADS} leads …`);
    const checks = { checkSuppression: true, checkDnc: true };
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < LEADS + 200; i++) {
      const lead = {
        phoneNormalized: `${201 + (i % 700)}${2_000_000 + (i % 3 === 0 ? 9_000_000 : Math.floor(i / 700))}`.slice(
          0,
          10,
        ),
        emailNormalized: `person${i * 97}@bench.test`,
      };
      const a = performance.now();
      const r = await screenLead(s, checks, lead);
      const ms = performance.now() - a;
      if (i >= 200) {
        times.push(ms); // the first 200 warm the connection and the statement
        if (r) hits++;
      }
    }
    const lines = [
      `do-not-call import: ${report.lines.toLocaleString("en-US")} lines, ${report.added.toLocaleString("en-US")} numbers added in ${(importMs / 1000).toFixed(1)} s (${Math.round(report.added / (importMs / 1000)).toLocaleString("en-US")} a second)`,
      `screening a lead (suppression lists + DNC, ${SUPPRESSED.toLocaleString("en-US")} people and ${report.added.toLocaleString("en-US")} numbers listed), ${LEADS} leads one at a time:`,
      `  p50 ${pct(times, 50).toFixed(3)} ms · p95 ${pct(times, 95).toFixed(3)} ms · p99 ${pct(times, 99).toFixed(3)} ms · max ${Math.max(...times).toFixed(3)} ms · ${hits} screened out`,
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
