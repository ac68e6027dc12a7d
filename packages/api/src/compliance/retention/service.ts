// Retention (docs/compliance.md): each vertical may set a period in days after which a lead's
// contact fields are purged by the hourly pg-boss job below, in batches. The keyed hashes (the
// suppression lists' key) stay on the lead so duplicate checks and returns still find the person;
// counts, amounts and rollups are never touched. Load → hash → write.
import { listLeadsToPurge, purgeLeads, setVerticalRetention } from "@leadflow/db";
import type PgBoss from "pg-boss";
import type { Services } from "../../context";
import { AppError } from "../../errors";
import { personHashKey } from "../suppression/person";
import { leadKeyedHashes } from "../suppression/screen";

export const RETENTION_QUEUE = "retention-purge";
export const RETENTION_BATCH = 500;

/** Purges every lead past its vertical's period, `batch` at a time; returns how many. */
export async function runRetention(
  s: Pick<Services, "db" | "clock" | "log" | "personHashSecret">,
  opts: { batch?: number } = {},
): Promise<number> {
  const batch = opts.batch ?? RETENTION_BATCH;
  const key = await personHashKey(s);
  let total = 0;
  for (;;) {
    const now = s.clock.now();
    const due = await listLeadsToPurge(s.db, now, batch);
    if (due.length === 0) break;
    const rows = due.map((l) => {
      const h = leadKeyedHashes(key, l);
      return { id: l.id, phoneHash: l.phoneHash ?? h.phoneHash, emailHash: l.emailHash ?? h.emailHash };
    });
    const n = await purgeLeads(s.db, rows, now);
    total += n;
    if (due.length < batch) break;
    // Another run purged this whole batch first: it carries on from here.
    if (n === 0) break;
  }
  if (total > 0) s.log.info({ purged: total }, "lead contact fields purged (retention)");
  return total;
}

export async function updateVerticalRetention(s: Services, input: { key: string; retentionDays: number | null }) {
  if (!(await setVerticalRetention(s.db, input.key, input.retentionDays)))
    throw new AppError("NOT_FOUND", "No such vertical.");
  s.log.info(input, "vertical retention period set");
  return input;
}

export async function registerRetentionJobs(boss: PgBoss, s: Services): Promise<void> {
  await boss.createQueue(RETENTION_QUEUE);
  await boss.work(RETENTION_QUEUE, async () => {
    await runRetention(s);
  });
  await boss.schedule(RETENTION_QUEUE, "41 * * * *");
}
