// An admin approves or denies a request the cap held back. The conditional update (status is
// still PENDING) makes a second decision, or two admins at once, a clear CONFLICT, never a
// second credit.
import { decidePendingReturn, getReturnStatus } from "@leadflow/db";
import type { Services } from "../context";
import { AppError } from "../errors";
import { creditReturn } from "./credit";
import { returnEvent } from "./events";
import { refreshReturnRates } from "./rates";
import { dispatchSellerEvents } from "../sellers/webhook-delivery";

export async function adminDecideReturn(
  s: Services,
  adminUserId: string,
  input: { id: string; decision: "APPROVED" | "DENIED"; note: string },
) {
  const now = s.clock.now();
  const out = await s.db.transaction(async (tx) => {
    const row = await decidePendingReturn(tx, {
      id: input.id,
      status: input.decision,
      decidedBy: adminUserId,
      note: input.note,
      at: now,
    });
    if (!row) {
      const any = await getReturnStatus(tx, input.id);
      if (!any) throw new AppError("NOT_FOUND", "No such return request.");
      throw new AppError(
        "CONFLICT",
        `This return was already decided (${any.status.toLowerCase()}). Reload the queue.`,
      );
    }
    await returnEvent(tx, now, row.leadId, row.buyerId, "return_decided", {
      returnId: row.id,
      status: input.decision,
      by: "admin",
      note: input.note,
    });
    const creditedCents = input.decision === "APPROVED" ? await creditReturn(tx, row, now) : null;
    return { id: row.id, leadId: row.leadId, buyerId: row.buyerId, status: input.decision, creditedCents };
  });
  s.log.info({ leadId: out.leadId, returnId: out.id, status: out.status }, "return decided by admin");
  // The seller's lead.returned (written by a trigger with the credit).
  if (out.creditedCents !== null) await dispatchSellerEvents(s, out.leadId);
  // The decision is committed; a failed refresh only delays the rate until the hourly job.
  await refreshReturnRates(s.db, now, [out.buyerId]).catch((err: unknown) =>
    s.log.warn({ err, buyerId: out.buyerId }, "return rate refresh failed"),
  );
  return out;
}
