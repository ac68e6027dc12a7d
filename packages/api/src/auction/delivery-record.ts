// Writing a delivery's outcome: delivered once (with its timeline event and the method on the
// buyer's transaction), or failed with the time of the next attempt (null: dead). Shared by the
// webhook path (delivery.ts) and the email path (email/outbox.ts), which each decide the schedule.
import { deliveries, leadEvents, transactions, type Tx } from "@leadflow/db";
import { and, eq, isNull, ne } from "drizzle-orm";
import type { Services } from "../context";

export type DeliveryRow = typeof deliveries.$inferSelect;

/**
 * Marks the delivery done, once: the row is updated first (and locked) only if not yet delivered,
 * and `alongside` (the notification, the outbox row) is written in the same transaction, so a
 * delivery dispatched again after a crash cannot notify twice.
 */
export async function markDelivered(s: Services, d: Pick<DeliveryRow, "id" | "leadId" | "buyerId">, method: DeliveryRow["method"], attempts: number, alongside?: (tx: Tx) => Promise<unknown>, tx?: Tx) {
  const now = s.clock.now();
  const write = async (tx: Tx) => {
    const [first] = await tx
      .update(deliveries)
      .set({ status: "delivered", attempts, deliveredAt: now, lastError: null, nextAttemptAt: null })
      .where(and(eq(deliveries.id, d.id), ne(deliveries.status, "delivered")))
      .returning({ id: deliveries.id });
    if (!first) return;
    await alongside?.(tx);
    await tx
      .update(transactions)
      .set({ deliveryMethod: method })
      .where(and(eq(transactions.leadId, d.leadId), eq(transactions.buyerId, d.buyerId), isNull(transactions.deliveryMethod)));
    await tx.insert(leadEvents).values({ leadId: d.leadId, at: now, kind: "delivery", buyerId: d.buyerId, data: { method, status: "delivered", attempts } });
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
    await tx.update(deliveries).set({ status, attempts, lastError: error, nextAttemptAt: next }).where(and(eq(deliveries.id, d.id), ne(deliveries.status, "delivered")));
    await tx.insert(leadEvents).values({
      leadId: d.leadId,
      at: now,
      kind: "delivery",
      buyerId: d.buyerId,
      data: { method: d.method, status, attempts, error, ...(reason ? { reason } : {}), ...(next ? { nextAttemptAt: next.toISOString() } : {}) },
    });
  };
  if (tx) await write(tx);
  else await s.db.transaction(write);
}
