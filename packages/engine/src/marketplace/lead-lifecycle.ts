import { TERMINAL_MARKET_LEAD_STATES, type MarketLeadState } from "./enums";
import { isOneOf } from "./units";
import { MarketplaceError } from "./errors";

/**
 * Allowed moves of a lead. `routing` may jump to any phase because a phase with nobody to offer
 * falls through; concierge may still end in acceptance when an admin assigns a DJ by hand.
 * Terminal states have no way out, which is what makes "exactly one terminal state" hold.
 */
export const LEAD_STATE_TRANSITIONS: Readonly<Record<MarketLeadState, readonly MarketLeadState[]>> = {
  pending: ["scoring", "closed"],
  scoring: ["routing", "closed"],
  routing: ["exclusive", "tier_expansion", "broadcast", "concierge", "closed"],
  exclusive: ["tier_expansion", "broadcast", "concierge", "accepted", "closed"],
  tier_expansion: ["broadcast", "concierge", "accepted", "closed"],
  broadcast: ["concierge", "accepted", "closed"],
  concierge: ["accepted", "closed"],
  accepted: ["converted", "closed"],
  converted: [],
  closed: [],
};

export function isTerminalLeadState(state: MarketLeadState): boolean {
  return isOneOf(TERMINAL_MARKET_LEAD_STATES, state);
}

/** States in which the lead is out on offer to DJs with a timer running. */
export function isOpenRoutingState(state: MarketLeadState): state is "exclusive" | "tier_expansion" | "broadcast" {
  return state === "exclusive" || state === "tier_expansion" || state === "broadcast";
}

export function canTransitionLeadState(from: MarketLeadState, to: MarketLeadState): boolean {
  return LEAD_STATE_TRANSITIONS[from].includes(to);
}

/** The same check as canTransitionLeadState, throwing a domain error for service code paths. */
export function assertLeadTransition(from: MarketLeadState, to: MarketLeadState): void {
  if (!canTransitionLeadState(from, to)) {
    throw new MarketplaceError("INVALID_TRANSITION", `A lead that is ${from} cannot become ${to}.`);
  }
}
