// DJ eligibility: the SQL filter (the engine's checkDJEligibility is the reference; the statement
// itself is selectEligibleDJs in @leadflow/db) and the availability verdict of one stored row. The
// atomic availability locks that keep two leads from holding one DJ on one date live beside the
// filter in @leadflow/db and are re-exported here under their routing names.
import {
  listDjAvailabilityOn,
  selectEligibleDJs,
  type DbOrTx,
  type EligibilityFilters,
  type EligibleDJ,
} from "@leadflow/db";
import type { AvailabilityStatus } from "@leadflow/engine";

export { bookDJDate, lockCityDate, lockDJAvailability, releaseDJAvailability } from "@leadflow/db";
export { holdDJDate, releaseHoldsForLead } from "./holds";
export type { EligibilityFilters, EligibleDJ };

/**
 * Every hard filter of the seed, in routing order (score descending, then id). The partial index
 * djs_city_routing_idx serves the city/active/suspended part in that order; availability is one
 * index probe per DJ on (dj_id, date).
 */
export async function getEligibleDJs(db: DbOrTx, f: EligibilityFilters): Promise<EligibleDJ[]> {
  return selectEligibleDJs(db, f);
}

export interface AvailabilityCheck {
  djId: string;
  available: boolean;
  status: AvailabilityStatus | null;
  lockedByLeadId: string | null;
  lockedUntil: Date | null;
  heldByLeadId: string | null;
}

/**
 * Whether a DJ's stored row for the date leaves it free for `leadId` at `now`: offerable status,
 * no live lock of another lead, and no hold of another lead (a held date has no end time).
 */
export function availableOn(
  row:
    | {
        status: AvailabilityStatus;
        lockedByLeadId: string | null;
        lockedUntil: Date | null;
        heldByLeadId: string | null;
      }
    | undefined,
  now: Date,
  leadId: string | null,
) {
  if (!row) return true;
  if (row.status !== "available" && row.status !== "tentative") return false;
  if (row.heldByLeadId != null && row.heldByLeadId !== leadId) return false;
  return (
    !row.lockedUntil || row.lockedUntil.getTime() <= now.getTime() || (leadId != null && row.lockedByLeadId === leadId)
  );
}

/** Whether the DJ can be offered a lead on this date right now (a lock held by `leadId` does not block). */
export async function checkDJAvailability(
  db: DbOrTx,
  djId: string,
  eventDate: string,
  now: Date,
  leadId: string | null = null,
): Promise<AvailabilityCheck> {
  const [check] = await batchCheckAvailability(db, [djId], eventDate, now, leadId);
  return check!;
}

/** One query for many DJs on one date. */
export async function batchCheckAvailability(
  db: DbOrTx,
  djIds: string[],
  eventDate: string,
  now: Date,
  leadId: string | null = null,
): Promise<AvailabilityCheck[]> {
  if (djIds.length === 0) return [];
  const rows = await listDjAvailabilityOn(db, djIds, eventDate);
  const byDj = new Map(rows.map((r) => [r.djId, r]));
  return djIds.map((djId) => {
    const r = byDj.get(djId);
    return {
      djId,
      available: availableOn(r, now, leadId),
      status: r?.status ?? null,
      lockedByLeadId: r?.lockedByLeadId ?? null,
      lockedUntil: r?.lockedUntil ?? null,
      heldByLeadId: r?.heldByLeadId ?? null,
    };
  });
}
