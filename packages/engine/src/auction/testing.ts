/** Builders for tests: one valid buyer or lead, overridden field by field. Not exported by index. */
import type { RankedBid } from "./ranking";
import type { AuctionLead, ContractorBuyer, NetworkBuyer } from "./types";

export const AT = new Date("2026-03-04T15:00:00Z"); // a Wednesday, 10:00 in New York

export function lead(over: Partial<AuctionLead> = {}): AuctionLead {
  return {
    id: "lead-1",
    vertical: "roofing",
    zip: "10001",
    state: "NY",
    receivedAt: AT,
    consent: { trustedFormCertUrl: "https://cert.trustedform.com/abc", jornayaLeadId: null },
    ...over,
  };
}

export function network(id: string, over: Partial<NetworkBuyer> = {}): NetworkBuyer {
  return {
    id,
    type: "NETWORK",
    active: true,
    verticals: ["roofing"],
    serviceZips: [{ zip: "*", priority: 1 }],
    timeZone: "America/New_York",
    minBidCents: 500,
    ...over,
  };
}

export function contractor(id: string, over: Partial<ContractorBuyer> = {}): ContractorBuyer {
  return {
    id,
    type: "CONTRACTOR",
    active: true,
    verticals: ["roofing"],
    serviceZips: [{ zip: "10001", priority: 1 }],
    timeZone: "America/New_York",
    deliveryMode: "EXCLUSIVE",
    maxSharedLeads: 3,
    pricingModel: "FIXED",
    fixedLeadPriceCents: 4000,
    deliveryMethods: ["EMAIL"],
    ...over,
  };
}

export function ranked(buyerId: string, amountCents: number, rank: number, over: Partial<RankedBid> = {}): RankedBid {
  return { buyerId, buyerType: "NETWORK", amountCents, minBidCents: 0, respondedAfterMs: rank, rank, ...over };
}
