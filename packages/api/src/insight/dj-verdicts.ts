// Each DJ's eligibility verdict for a DJ lead, stored on the lead's timeline when routing starts.
// Routing itself filters in SQL (getEligibleDJs) and keeps only the eligible; this writes down why
// every other DJ of the city was left out, with the engine's own checkDJEligibility (its reference).
// The city's best-ranked DJ_VERDICT_LIMIT active, unsuspended DJs are checked (the routing index
// serves them in that order), so even a city of 10,000 DJs costs a bounded read; paused and
// suspended DJs are offered nothing and know why.
import { listDjVerdictCandidates, type DbOrTx } from "@leadflow/db";
import { checkDJEligibility, type DJEligibilityFailure } from "@leadflow/engine";
import { recordLeadEvent } from "../marketplace/common";

export const DJ_VERDICT_LIMIT = 200;

export interface DjVerdict {
  djId: string;
  name: string;
  eligible: boolean;
  failures: DJEligibilityFailure[];
}

export async function recordDjVerdicts(
  tx: DbOrTx,
  lead: { id: string; city: string; eventDate: string; budgetMinCents: number | null; budgetMaxCents: number | null },
  now: Date,
): Promise<DjVerdict[]> {
  const rows = await listDjVerdictCandidates(tx, {
    city: lead.city,
    eventDate: lead.eventDate,
    limit: DJ_VERDICT_LIMIT + 1,
  });
  const clock = { now: () => now };
  const verdicts = rows.slice(0, DJ_VERDICT_LIMIT).map((r): DjVerdict => {
    const availability = r.status
      ? { status: r.status, lockedByLeadId: r.lockedByLeadId, lockedUntil: r.lockedUntil, heldByLeadId: r.heldByLeadId }
      : null;
    const v = checkDJEligibility(r, lead, availability, clock);
    return { djId: r.id, name: r.name, eligible: v.eligible, failures: v.failures };
  });
  const eligible = verdicts.filter((v) => v.eligible).length;
  const truncated = rows.length > DJ_VERDICT_LIMIT;
  await recordLeadEvent(
    tx,
    now,
    lead.id,
    "eligibility",
    `${eligible} of ${verdicts.length} ${truncated ? "best-ranked " : ""}DJs in ${lead.city} were eligible.`,
    { verdicts, truncated },
  );
  return verdicts;
}
