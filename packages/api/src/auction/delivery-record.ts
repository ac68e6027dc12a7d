// Writing a delivery's outcome: delivered once (with its timeline event and the method on the
// buyer's transaction), or failed with the time of the next attempt (null: dead). Shared by the
// webhook path (delivery.ts) and the email path (email/outbox.ts), which each decide the schedule.
import {
  insertLeadEvent,
  setDeliveryDelivered,
  setDeliveryFailed,
  setTransactionDeliveryMethod,
  type DeliveryRow,
  type Tx,
} from "@leadflow/db";
import type { Services } from "../context";

export type { DeliveryRow } from "@leadflow/db";

/**
 * Marks the delivery done, once: the row is updated first (and locked) only if not yet delivered,
 * and `alongside` (the notification, the outbox row) is written in the same transaction, so a
 * delivery dispatched again after a crash cannot notify twice.
 */
export async function markDelivered(
  s: Services,
  d: Pick<DeliveryRow, "id" | "leadId" | "buyerId">,
  method: DeliveryRow["method"],
  attempts: number,
  alongside?: (tx: Tx) => Promise<unknown>,
  tx?: Tx,
) {
  const now = s.clock.now();
  const write = async (tx: Tx) => {
    if (!(await setDeliveryDelivered(tx, d.id, attempts, now))) return;
    await alongside?.(tx);
    await setTransactionDeliveryMethod(tx, d.leadId, d.buyerId, method);
    await insertLeadEvent(tx, {
      leadId: d.leadId,
      at: now,
      kind: "delivery",
      buyerId: d.buyerId,
      data: { method, status: "delivered", attempts },
    });
  };
  if (tx) await write(tx);
  else await s.db.transaction(write);
}

/**
 * Records a failed attempt. `next` is when the queue will really run the next one (the caller
 * schedules its job for exactly that time); null makes it dead. `reason` is the buyer's wording
 * (the timeline keeps `error`, the full text, for admins).
 */
export async function markFailed(
  s: Services,
  d: Pick<DeliveryRow, "id" | "leadId" | "buyerId" | "method">,
  attempts: number,
  error: string,
  next: Date | null,
  reason?: string,
  tx?: Tx,
) {
  const now = s.clock.now();
  const status = next ? "failed" : "dead";
  const write = async (tx: Tx) => {
    await setDeliveryFailed(tx, d.id, { status, attempts, lastError: error, nextAttemptAt: next });
    await insertLeadEvent(tx, {
      leadId: d.leadId,
      at: now,
      kind: "delivery",
      buyerId: d.buyerId,
      data: {
        method: d.method,
        status,
        attempts,
        error,
        ...(reason ? { reason } : {}),
        ...(next ? { nextAttemptAt: next.toISOString() } : {}),
      },
    });
  };
  if (tx) await write(tx);
  else await s.db.transaction(write);
}
