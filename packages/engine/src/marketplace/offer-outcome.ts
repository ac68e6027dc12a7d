import type { AssignmentStatus, MarketLeadState, OfferOutcome } from "./enums";
import { isOpenRoutingState } from "./lead-lifecycle";

/**
 * An offer as its DJ sees it. An offer left `offered` on a lead another DJ accepted was withdrawn
 * by that acceptance ("taken"); one whose window passed unanswered, `ignored` or not yet swept, is
 * "window_ended"; an offer on a lead closed otherwise is "closed".
 */
export function offerOutcome(
  o: { status: AssignmentStatus; leadState: MarketLeadState; windowEndsAt: Date },
  now: Date,
): OfferOutcome {
  if (o.status === "accepted" || o.status === "declined") return o.status;
  if (o.status === "offered" && (o.leadState === "accepted" || o.leadState === "converted")) return "taken";
  if (o.status === "ignored") return "window_ended";
  if (o.status === "withdrawn" || !isOpenRoutingState(o.leadState)) return "closed";
  return o.windowEndsAt.getTime() > now.getTime() ? "open" : "window_ended";
}
