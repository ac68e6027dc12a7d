/**
 * What a contractor pays. FIXED pays its fixed price whatever happens; AUCTION pays its max bid
 * (a zip's own max bid first); HYBRID pays its auction price for an exclusive lead and its
 * reduced shared price for a shared one. null means "no price configured": such a contractor
 * cannot be sold that way, which is safer than selling for 0.
 */
import type { ContractorBuyer, ServiceZip } from "./types";
import type { DeliveryMode } from "./values";

/** The buyer's entry for the zip: an exact entry before the "*" wildcard. */
export function serviceZipFor(serviceZips: readonly ServiceZip[], zip: string): ServiceZip | undefined {
  const z = normalizeZip(zip);
  return serviceZips.find((s) => normalizeZip(s.zip) === z) ?? serviceZips.find((s) => s.zip.trim() === "*");
}

/** ZIP+4 and stray spaces compare as the 5-digit zip. */
export function normalizeZip(zip: string): string {
  const t = zip.trim();
  return /^\d{5}(-?\d{4})?$/.test(t) ? t.slice(0, 5) : t;
}

function positive(n: number | null | undefined): number | null {
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** The contractor's max bid in this zip: the zip's override, else its default. */
export function maxBidFor(c: ContractorBuyer, zip: string): number | null {
  return positive(serviceZipFor(c.serviceZips, zip)?.maxBidCents) ?? positive(c.maxBidCents);
}

export function priceFor(c: ContractorBuyer, zip: string, mode: DeliveryMode): number | null {
  switch (c.pricingModel) {
    case "FIXED":
      return positive(c.fixedLeadPriceCents);
    case "AUCTION":
      return maxBidFor(c, zip);
    case "HYBRID":
      return mode === "EXCLUSIVE" ? maxBidFor(c, zip) : positive(c.sharedPriceCents);
  }
}
