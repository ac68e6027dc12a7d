/**
 * The POST cascade as a state machine whose states are the steps: the service reads the step,
 * does the one POST it names, and feeds the result back. Because a step is data, a crashed worker's
 * cascade can be rebuilt from the recorded attempts, and property tests can drive it without HTTP.
 */
import type { PostResult, PostStage } from "./response";
import type { RankedBid } from "./ranking";
import type { RejectionReason } from "./values";

export interface CascadeAttempt<B extends { buyerId: string } = RankedBid> {
  bid: B;
  /**
   * cascadePosition: 1 for the first POST of the lead, 2 for the next, …; null when nothing was
   * POSTed (refused by our sale rules first, or a contractor's claim): positions count POSTs only.
   */
  position: number | null;
  /** How far it got (PostResult.stage; a missing stage is a POST). */
  stage: PostStage;
  accepted: boolean;
  lostReason?: RejectionReason;
  rawReason?: string;
}

/** A "post" step's position is the one its POST takes if it is sent (the POSTs so far + 1). */
export type CascadeStep<B extends { buyerId: string } = RankedBid> =
  | { kind: "post"; bid: B; position: number; queue: readonly B[]; attempts: readonly CascadeAttempt<B>[] }
  | { kind: "sold"; bid: B; position: number | null; attempts: readonly CascadeAttempt<B>[] }
  | { kind: "exhausted"; lostReason: "CASCADE_EXHAUSTED"; attempts: readonly CascadeAttempt<B>[] };

export type FinalCascadeStep<B extends { buyerId: string } = RankedBid> = Exclude<CascadeStep<B>, { kind: "post" }>;

/**
 * Bids must come in rank order (rankBids). A buyer listed twice is posted once, at its first place:
 * asking the same buyer again could only bill it twice.
 */
export function startCascade<B extends { buyerId: string }>(ranked: readonly B[]): CascadeStep<B> {
  const seen = new Set<string>();
  const queue = ranked.filter((b) => !seen.has(b.buyerId) && Boolean(seen.add(b.buyerId)));
  return advance(queue, []);
}

/** Terminal steps are returned unchanged: feeding a late result can never sell twice. */
export function nextCascadeStep<B extends { buyerId: string }>(
  step: CascadeStep<B>,
  result: PostResult,
): CascadeStep<B> {
  if (step.kind !== "post") return step;
  const stage = result.stage ?? "POST";
  const position = stage === "POST" ? step.position : null;
  if (result.accepted) {
    const attempt: CascadeAttempt<B> = { bid: step.bid, position, stage, accepted: true };
    return { kind: "sold", bid: step.bid, position, attempts: [...step.attempts, attempt] };
  }
  const attempt: CascadeAttempt<B> = {
    bid: step.bid,
    position,
    stage,
    accepted: false,
    lostReason: result.lostReason ?? "POST_REJECTED",
    ...(result.rawReason === undefined ? {} : { rawReason: result.rawReason }),
  };
  return advance(step.queue, [...step.attempts, attempt]);
}

function advance<B extends { buyerId: string }>(
  queue: readonly B[],
  attempts: readonly CascadeAttempt<B>[],
): CascadeStep<B> {
  const [bid, ...rest] = queue;
  if (bid === undefined) return { kind: "exhausted", lostReason: "CASCADE_EXHAUSTED", attempts };
  return { kind: "post", bid, position: attempts.filter((a) => a.position !== null).length + 1, queue: rest, attempts };
}

/**
 * Drives the cascade through ALL bidders until one accepts, one POST at a time: a buyer is only
 * asked once the previous one has said no, so two buyers can never both be sold the lead. A post
 * that throws counts as a rejection, so one broken buyer cannot strand the lead.
 */
export async function deliverWithCascade<B extends { buyerId: string }>(
  ranked: readonly B[],
  post: (bid: B, position: number) => Promise<PostResult>,
): Promise<FinalCascadeStep<B>> {
  let step = startCascade(ranked);
  while (step.kind === "post") {
    let result: PostResult;
    try {
      result = await post(step.bid, step.position);
    } catch (err) {
      result = { accepted: false, lostReason: "POST_REJECTED", rawReason: `post failed: ${errorText(err)}` };
    }
    step = nextCascadeStep(step, result);
  }
  return step;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
