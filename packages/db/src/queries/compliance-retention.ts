// Retention (docs/compliance.md): leads older than their vertical's retention period lose their
// contact fields and every copy of them (bodies sent to buyers, lead emails, dashboard
// notifications, return comments). The keyed hashes and every count, amount and rollup stay. The
// api computes the hashes (packages/api/src/compliance/retention); nothing here hashes.
import { eq, sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "../client";
import { verticals } from "../schema";

/** false when there is no such vertical. */
export async function setVerticalRetention(db: DbOrTx, key: string, retentionDays: number | null): Promise<boolean> {
  const rows = await db
    .update(verticals)
    .set({ retentionDays })
    .where(eq(verticals.key, key))
    .returning({ key: verticals.key });
  return rows.length > 0;
}

export interface LeadToPurge {
  id: string;
  phoneNormalized: string | null;
  emailNormalized: string | null;
  phoneHash: string | null;
  emailHash: string | null;
}

/**
 * The oldest leads past their vertical's retention period and not purged yet, at most `limit`.
 * Leads still RECEIVED or PROCESSING wait for their auction to finish.
 */
export async function listLeadsToPurge(db: DbOrTx, now: Date, limit: number): Promise<LeadToPurge[]> {
  const res = await db.execute(sql`
    select l.id, l.phone_normalized, l.email_normalized, l.phone_hash, l.email_hash
    from verticals v
    cross join lateral (
      select l.* from leads l
      where l.vertical = v.key and l.purged_at is null and l.status not in ('RECEIVED', 'PROCESSING')
        and l.received_at < ${now.toISOString()}::timestamptz - make_interval(days => v.retention_days)
      order by l.received_at limit ${limit}
    ) l
    where v.retention_days is not null
    order by l.received_at
    limit ${limit}`);
  return rowsOf<{
    id: string;
    phone_normalized: string | null;
    email_normalized: string | null;
    phone_hash: string | null;
    email_hash: string | null;
  }>(res).map((r) => ({
    id: r.id,
    phoneNormalized: r.phone_normalized,
    emailNormalized: r.email_normalized,
    phoneHash: r.phone_hash,
    emailHash: r.email_hash,
  }));
}

export interface PurgeRow {
  id: string;
  phoneHash: string | null;
  emailHash: string | null;
}

/**
 * One transaction: the leads' contact fields and custom fields emptied, their keyed hashes kept
 * (filled where intake had not written them), purged_at set and a `purged` event on the timeline;
 * the copies elsewhere emptied. Returns how many leads were purged (a lead purged meanwhile by
 * another run is skipped).
 */
export async function purgeLeads(db: DbOrTx, rows: PurgeRow[], now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const at = now.toISOString();
  const payload = JSON.stringify(rows.map((r) => ({ id: r.id, p: r.phoneHash, e: r.emailHash })));
  return db.transaction(async (tx) => {
    const done = rowsOf<{ id: string }>(
      await tx.execute(sql`
        update leads l set
          contact = jsonb_build_object('firstName', '', 'lastName', ''),
          phone_normalized = null, email_normalized = null, custom_fields = '{}'::jsonb,
          phone_hash = coalesce(l.phone_hash, x.p), email_hash = coalesce(l.email_hash, x.e),
          purged_at = ${at}::timestamptz
        from jsonb_to_recordset(${payload}::jsonb) as x(id uuid, p text, e text)
        where l.id = x.id and l.purged_at is null
        returning l.id`),
    ).map((r) => r.id);
    if (done.length === 0) return 0;
    const ids = `{${done.join(",")}}`;
    await tx.execute(sql`
      insert into lead_events (lead_id, at, kind, data)
      select id, ${at}::timestamptz, 'purged', '{}'::jsonb from unnest(${ids}::uuid[]) as id`);
    await tx.execute(sql`
      update transactions set request = null, response = null, post_response = null
      where lead_id = any(${ids}::uuid[])`);
    await tx.execute(sql`
      update email_outbox set subject = 'Lead email (contact purged)', text = '', html = null
      where lead_id = any(${ids}::uuid[])`);
    await tx.execute(sql`
      update notifications set body = '' where lead_id = any(${ids}::uuid[])`);
    await tx.execute(sql`
      update return_requests set comment = null, decision_note = null where lead_id = any(${ids}::uuid[])`);
    return done.length;
  });
}
