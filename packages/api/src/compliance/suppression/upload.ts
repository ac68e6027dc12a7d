// A suppression list upload: a CSV read a line at a time as it arrives (never whole in memory),
// every cell a phone or an email (a header row naming phone/email columns is skipped), hashed and
// added in batches; the upload's row counts as it goes (the page polls it) and ends with a report
// of every refused line and why. Values are never kept: the report says where and why only.
import {
  createSuppressionUpload,
  insertSuppressions,
  updateSuppressionUpload,
  type SuppressionEntry,
  type SuppressionRefusal,
} from "@leadflow/db";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { Services } from "../../context";
import { normalizeCell, personHash, personHashKey } from "./person";

export const MAX_REPORTED_REFUSALS = 1000;
const BATCH = 2000;
const MAX_LINE = 2000;

export interface UploadReport {
  uploadId: string;
  lines: number;
  added: number;
  alreadyListed: number;
  refused: number;
  /** Line (1-based) and reason of the first MAX_REPORTED_REFUSALS refused lines. */
  refusals: SuppressionRefusal[];
}

/** Splits one CSV line into cells (double quotes around a cell allowed, "" inside them). */
export function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === "," || c === ";" || c === "\t") {
      cells.push(cur);
      cur = "";
    } else cur += c;
  }
  cells.push(cur);
  return cells.map((c) => c.trim());
}

const HEADER = /^(phone|phone[ _]?number|mobile|cell|email|e-?mail[ _]?address|e-?mail)$/i;

export async function uploadSuppressionCsv(
  s: Services,
  opts: { buyerId: string | null; fileName: string; userId: string | null },
  body: AsyncIterable<Buffer | string> | Readable,
): Promise<UploadReport> {
  const key = await personHashKey(s);
  const uploadId = await createSuppressionUpload(s.db, {
    buyerId: opts.buyerId,
    fileName: opts.fileName.slice(0, 200),
    createdBy: opts.userId,
    at: s.clock.now(),
  });
  const report: UploadReport = { uploadId, lines: 0, added: 0, alreadyListed: 0, refused: 0, refusals: [] };
  const refuse = (line: number, reason: string) => {
    report.refused++;
    if (report.refusals.length < MAX_REPORTED_REFUSALS) report.refusals.push({ line, reason });
  };
  let batch: SuppressionEntry[] = [];
  const flush = async (finished: boolean) => {
    const unique = [...new Map(batch.map((e) => [e.hash, e])).values()];
    const added = await insertSuppressions(s.db, { buyerId: opts.buyerId, source: "UPLOAD", uploadId }, unique);
    report.added += added;
    report.alreadyListed += batch.length - added;
    batch = [];
    await updateSuppressionUpload(s.db, uploadId, {
      lines: report.lines,
      added: report.added,
      alreadyListed: report.alreadyListed,
      refused: report.refused,
      refusals: report.refusals,
      finishedAt: finished ? s.clock.now() : null,
    });
  };
  const stream = body instanceof Readable ? body : Readable.from(body);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const raw of lines) {
    const n = ++report.lines;
    const line = n === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (line.trim() === "") continue;
    if (line.length > MAX_LINE) {
      refuse(n, `the line is longer than ${MAX_LINE} characters`);
      continue;
    }
    const cells = csvCells(line).filter((c) => c !== "");
    if (n === 1 && cells.length > 0 && cells.every((c) => HEADER.test(c) || /^(first|last)?[ _]?name$/i.test(c)))
      continue;
    const reasons: string[] = [];
    for (const cell of cells) {
      const v = normalizeCell(cell);
      if (v.ok) batch.push({ kind: v.kind, hash: personHash(key, v.value) });
      else reasons.push(v.reason);
    }
    if (reasons.length > 0) refuse(n, reasons.join("; "));
    if (batch.length >= BATCH) await flush(false);
  }
  await flush(true);
  return report;
}
