// Submitting a lead, the same for REST and the dashboard: validate, store, then either run the
// auction now (the source waits for the outcome) or hand it to the queue.
import type { Services } from "../context";
import type { SubmittedLead } from "./answers";
import { createLead, parseIntake } from "./intake";
import { enqueueAuction } from "./enqueue";
import { runAuction } from "./run-auction";
import { getLeadView, type Viewer } from "./view";

/** The answer's shape is submittedLeadSchema (answers.ts); `outcome` is there when the caller waited. */
export type Submitted = SubmittedLead;

export async function submitLead(s: Services, seller: Viewer, body: unknown, waitFlag?: boolean): Promise<Submitted> {
  const input = parseIntake(body);
  const wait = waitFlag ?? input.wait ?? false;
  // Either way a synchronous commit follows before the answer: the queue job's, or the auction's.
  // A source that waits gets its lead written already started, so the auction needs no extra statement.
  const { id, created, started } = await createLead(s, seller.orgId, input, {
    deferFsync: s.boss !== undefined || wait,
    start: wait,
  });
  if (created) {
    if (wait) await runAuction(s, id, started);
    else {
      await enqueueAuction(s, id);
      return { id, created, status: "RECEIVED" }; // just written, and the answer need say no more
    }
  }
  const view = await getLeadView(s, seller, id);
  return wait ? { id, created, status: view.status, outcome: view } : { id, created, status: view.status };
}
