/**
 * Contractor direct delivery: who gets the lead without a ping. Zip priority comes first because
 * it is the platform's promise to a contractor about its own territory; price only orders
 * contractors of equal priority.
 */
import { formatCents } from "./money";
import { priceFor, serviceZipFor } from "./pricing";
import type { ContractorBuyer } from "./types";
import type { CONTRACTOR_LOST_REASONS, DeliveryMode } from "./values";

export interface RankedContractor {
  contractor: ContractorBuyer;
  rank: number;
  /** The zip's priority: 1 is the best. */
  priority: number;
  exclusivePriceCents: number | null;
  sharedPriceCents: number | null;
}

export interface ContractorWinner extends RankedContractor {
  priceCents: number;
  /** 1..N among the winners, in rank order. */
  position: number;
}

export interface ContractorLoser extends RankedContractor {
  lostReason: (typeof CONTRACTOR_LOST_REASONS)[number];
  detail: string;
}

export interface ContractorSelection {
  /** Decided by the top-ranked contractor; null when there is none. */
  mode: DeliveryMode | null;
  winners: ContractorWinner[];
  losers: ContractorLoser[];
  /** Each winner pays its own full price: no split between sharers. */
  revenueCents: number;
}

/**
 * Zip priority ascending, then the exclusive price descending (max bid for AUCTION and HYBRID,
 * fixed price for FIXED), then buyer id. Contractors that do not serve the zip are left out:
 * pass eligible contractors (checkEligibility) and none are.
 */
export function rankContractors(contractors: readonly ContractorBuyer[], zip: string): RankedContractor[] {
  const rows: Omit<RankedContractor, "rank">[] = [];
  for (const contractor of contractors) {
    const entry = serviceZipFor(contractor.serviceZips, zip);
    if (!entry) continue;
    rows.push({
      contractor,
      priority: entry.priority,
      exclusivePriceCents: priceFor(contractor, zip, "EXCLUSIVE"),
      sharedPriceCents: priceFor(contractor, zip, "SHARED"),
    });
  }
  rows.sort(
    (a, b) =>
      a.priority - b.priority ||
      (b.exclusivePriceCents ?? 0) - (a.exclusivePriceCents ?? 0) ||
      (a.contractor.id < b.contractor.id ? -1 : a.contractor.id > b.contractor.id ? 1 : 0),
  );
  return rows.map((r, i) => ({ ...r, rank: i + 1 }));
}

/**
 * The top-ranked contractor's delivery mode decides the sale.
 * EXCLUSIVE: the best priced contractor gets it. Losers of a worse priority get LOWER_PRIORITY,
 *   those of the winner's priority EXCLUSIVE_TAKEN (they would have bought it; someone of equal
 *   standing outbid them), unpriced ones NOT_SELECTED.
 * SHARED: the first N SHARED-mode contractors with a shared price each get it, N being the top
 *   contractor's maxSharedLeads. An EXCLUSIVE-mode contractor never shares (NOT_SELECTED); when the
 *   slots are full, a worse priority than the last winner's is LOWER_PRIORITY, an equal one
 *   NOT_SELECTED.
 */
export function selectContractors(ranked: readonly RankedContractor[]): ContractorSelection {
  const leader = ranked[0];
  if (!leader) return { mode: null, winners: [], losers: [], revenueCents: 0 };
  const mode = leader.contractor.deliveryMode;
  const winners: ContractorWinner[] = [];
  const losers: ContractorLoser[] = [];
  const slots = mode === "EXCLUSIVE" ? 1 : Math.max(1, Math.floor(leader.contractor.maxSharedLeads));
  const lose = (r: RankedContractor, lostReason: ContractorLoser["lostReason"], detail: string) =>
    losers.push({ ...r, lostReason, detail });

  for (const r of ranked) {
    const price = mode === "EXCLUSIVE" ? r.exclusivePriceCents : r.sharedPriceCents;
    const last = winners[winners.length - 1];
    if (mode === "SHARED" && r.contractor.deliveryMode === "EXCLUSIVE") {
      lose(r, "NOT_SELECTED", "buys exclusive leads only; this lead was shared");
    } else if (price === null) {
      lose(r, "NOT_SELECTED", `no ${mode.toLowerCase()} price configured`);
    } else if (winners.length < slots) {
      winners.push({ ...r, priceCents: price, position: winners.length + 1 });
    } else if (last && r.priority > last.priority) {
      lose(r, "LOWER_PRIORITY", `zip priority ${r.priority} behind ${last.priority}`);
    } else if (mode === "EXCLUSIVE") {
      lose(
        r,
        "EXCLUSIVE_TAKEN",
        `sold exclusively to an equal-priority contractor at ${formatCents(last?.priceCents ?? 0)}`,
      );
    } else {
      lose(r, "NOT_SELECTED", `all ${slots} shared slots taken at priority ${r.priority}`);
    }
  }
  const revenueCents = winners.reduce((sum, w) => sum + w.priceCents, 0);
  return { mode, winners, losers, revenueCents };
}
