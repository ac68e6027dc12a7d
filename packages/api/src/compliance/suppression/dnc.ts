// The national do-not-call registry's data files (docs/compliance.md): one 10-digit number per
// line (area code first; separators ignored), by area code. Lines are checked as they stream in,
// valid numbers go on in large chunks through COPY (packages/db/src/queries/compliance-dnc.ts).
import { copyDncNumbers, insertDncImport } from "@leadflow/db";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { Services } from "../../context";

const CHUNK = 20_000;

export interface DncImportReport {
  lines: number;
  numbers: number;
  added: number;
  refused: number;
  /** The first 100 refused lines and why. */
  refusals: { line: number; reason: string }[];
  ms: number;
}

/** A registry line as its 10-digit number, or why not. */
export function dncLine(raw: string): { ok: true; number: string } | { ok: false; reason: string } {
  const t = raw.trim();
  if (!/^[\d\s().,-]+$/.test(t)) return { ok: false, reason: "only digits (and separators) belong on a line" };
  let d = t.replace(/\D/g, "");
  if (d.length === 11 && d.startsWith("1")) d = d.slice(1);
  if (d.length !== 10) return { ok: false, reason: `a number has 10 digits (found ${d.length})` };
  if (!/^[2-9]\d{2}[2-9]/.test(d)) return { ok: false, reason: "not a North American number (area code or exchange)" };
  return { ok: true, number: d };
}

export async function importDncFile(
  s: Services,
  opts: { fileName: string; userId: string | null },
  body: AsyncIterable<Buffer | string> | Readable,
): Promise<DncImportReport> {
  const started = performance.now();
  const report: DncImportReport = { lines: 0, numbers: 0, added: 0, refused: 0, refusals: [], ms: 0 };
  const input = body instanceof Readable ? body : Readable.from(body);
  async function* chunks(): AsyncGenerator<string> {
    let buf: string[] = [];
    for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
      const n = ++report.lines;
      if (raw.trim() === "") continue;
      const v = dncLine(raw);
      if (!v.ok) {
        report.refused++;
        if (report.refusals.length < 100) report.refusals.push({ line: n, reason: v.reason });
        continue;
      }
      report.numbers++;
      buf.push(v.number);
      if (buf.length >= CHUNK) {
        yield `${buf.join("\n")}\n`;
        buf = [];
      }
    }
    if (buf.length > 0) yield `${buf.join("\n")}\n`;
  }
  report.added = await copyDncNumbers(s.db, chunks());
  report.ms = Math.round(performance.now() - started);
  await insertDncImport(s.db, {
    fileName: opts.fileName.slice(0, 200),
    createdBy: opts.userId,
    createdAt: s.clock.now(),
    lines: report.lines,
    added: report.added,
    refused: report.refused,
    ms: report.ms,
  });
  s.log.info({ lines: report.lines, added: report.added, ms: report.ms }, "do-not-call numbers imported");
  return report;
}
