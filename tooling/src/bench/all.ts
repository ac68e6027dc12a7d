// Every benchmark, one after another, and docs/benchmarks.md rewritten with what they printed
// and a description of the machine they ran on (issue 7, item 6).
//
//   npm run bench                     all of them (about 15 minutes on 2 cores)
//   npm run bench -- --only auction,throughput
//   npm run bench -- --no-write       print, leave the document alone
//
// Each benchmark runs in its own process (so none inherits another's heap or connections); its
// figures (stdout) go between the `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` markers
// of docs/benchmarks.md (unless the benchmark wrote its own block there), and the machine block
// between the `bench:machine` markers. Progress
// (stderr) is shown as it comes. The prose around the blocks is written by people and says how
// to read them.
import { createDb, rowsOf } from "@leadflow/db";
import { TEST_SERVER_URL } from "@leadflow/db/testing";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const tsx = `${root}tooling/node_modules/.bin/tsx`;
const DOC = `${root}docs/benchmarks.md`;

export const BENCHMARKS = [
  { name: "auction", file: "auction.ts", what: "auction overhead against a bare fan-out (issue 3)" },
  { name: "throughput", file: "throughput.ts", what: "end-to-end leads per second over REST (issue 7)" },
  {
    name: "pingpost",
    file: "ping-post.ts",
    what: "inbound ping with hanging buyers, ping+post pairs per second over REST (issue 15)",
  },
  { name: "marketplace", file: "marketplace.ts", what: "routing among 10,000 DJs and 10,000 phase timers (issue 4)" },
  { name: "notify", file: "notify.ts", what: "offer → DJ message on email, SMS and push (issue 17)" },
  {
    name: "insight",
    file: "insight.ts",
    what: "analytics over 1,000,000 transactions and replay of 10,000 leads (issue 6)",
  },
] as const;

// `npm run bench -- --only x` reaches us as "-- --only x" through pnpm: drop that separator.
const argv = process.argv.slice(2).filter((a, i) => !(i === 0 && a === "--"));
const { values } = parseArgs({ args: argv, options: { only: { type: "string" }, "no-write": { type: "boolean" } } });
const only = values.only ? new Set(values.only.split(",").map((s) => s.trim())) : null;
const unknown = [...(only ?? [])].filter((n) => !BENCHMARKS.some((b) => b.name === n));
if (unknown.length) {
  process.stderr.write(
    `Unknown benchmark ${unknown.join(", ")}; choose from ${BENCHMARKS.map((b) => b.name).join(", ")}.\n`,
  );
  process.exit(2);
}

async function machine(): Promise<string[]> {
  const h = await createDb({ databaseUrl: TEST_SERVER_URL, max: 1 });
  try {
    const [v] = rowsOf<{ version: string; sc: string; sb: string; wal: string }>(
      await h.db.execute(
        sql`select version() as version, current_setting('synchronous_commit') as sc, current_setting('shared_buffers') as sb, current_setting('wal_sync_method') as wal`,
      ),
    );
    const cpu = os.cpus();
    return [
      `date: ${new Date().toISOString()}`,
      `cpu: ${cpu[0]?.model ?? "?"} × ${cpu.length} (${os.arch()})`,
      `memory: ${Math.round(os.totalmem() / 2 ** 30)} GB`,
      `os: ${os.type()} ${os.release()}`,
      `node: ${process.version}`,
      `database: ${v!.version.split(",")[0]} on the same host; synchronous_commit ${v!.sc}, shared_buffers ${v!.sb}, wal_sync_method ${v!.wal}`,
      `load average at start: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    ];
  } finally {
    await h.close();
  }
}

function runOne(file: string, name: string): Promise<{ ok: boolean; lines: string[]; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(tsx, [`tooling/src/bench/${file}`], {
      cwd: root,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    child.stderr.on("data", (d: Buffer) => process.stderr.write(d.toString().replace(/^(?=.)/gm, `[${name}] `)));
    child.once("exit", (code) => {
      // The auction benchmark repeats its lines under a "Paste into" heading: keep the first copy.
      const cut = out.indexOf("\nPaste into docs/benchmarks.md");
      const lines = (cut >= 0 ? out.slice(0, cut) : out).split("\n").filter((l) => l.trim() !== "");
      resolve({ ok: code === 0, lines, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const markers = (name: string) => ({ open: `<!-- bench:${name}:start -->`, close: `<!-- bench:${name}:end -->` });

function blockOf(doc: string, name: string): string | null {
  const { open, close } = markers(name);
  const a = doc.indexOf(open);
  const b = doc.indexOf(close);
  return a >= 0 && b > a ? doc.slice(a, b) : null;
}

function replaceBlock(doc: string, name: string, body: string): string {
  const { open, close } = markers(name);
  const block = `${open}\n${body}\n${close}`;
  const a = doc.indexOf(open);
  const b = doc.indexOf(close);
  if (a >= 0 && b > a) return doc.slice(0, a) + block + doc.slice(b + close.length);
  return `${doc.trimEnd()}\n\n## ${name}\n\n${block}\n`;
}

const fence = (lines: string[]) => ["```text", ...lines, "```"].join("\n");

const desc = await machine();
process.stdout.write(`${desc.join("\n")}\n\n`);
const results: { name: string; ok: boolean; lines: string[]; seconds: number; wroteItself: boolean }[] = [];
const chosen = BENCHMARKS.filter((b) => !only || only.has(b.name));
for (const [i, b] of chosen.entries()) {
  if (!existsSync(`${root}tooling/src/bench/${b.file}`)) {
    process.stderr.write(`skipping ${b.name}: tooling/src/bench/${b.file} is missing\n`);
    continue;
  }
  process.stderr.write(`\n[${i + 1}/${chosen.length}] ${b.name}: ${b.what} …\n`);
  const before = blockOf(readFileSync(DOC, "utf8"), b.name);
  const r = await runOne(b.file, b.name);
  // A benchmark that writes its own block (with its own table layout) keeps it.
  const wroteItself = r.ok && blockOf(readFileSync(DOC, "utf8"), b.name) !== before;
  process.stderr.write(
    `[${i + 1}/${chosen.length}] ${b.name} ${r.ok ? "done" : "FAILED"} in ${r.seconds.toFixed(0)} s\n`,
  );
  results.push({ name: b.name, ...r, wroteItself });
}
desc.push(
  `load average at end: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);

if (!values["no-write"]) {
  let doc = readFileSync(DOC, "utf8");
  doc = replaceBlock(doc, "machine", fence(desc));
  for (const r of results) {
    if (r.wroteItself) continue;
    const head = r.ok ? [] : ["(this benchmark FAILED in this run; its output so far:)"];
    doc = replaceBlock(doc, r.name, fence([...head, ...r.lines, `(took ${r.seconds.toFixed(0)} s)`]));
  }
  writeFileSync(DOC, doc);
  process.stderr.write(`\ndocs/benchmarks.md rewritten (${results.map((r) => r.name).join(", ")}).\n`);
}
process.exit(results.every((r) => r.ok) ? 0 : 1);
