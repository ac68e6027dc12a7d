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

// ---- deletion requests ---------------------------------------------------------------------

export interface ErasePerson {
  /** 10 digits (a US number as leads keep it) or the digits of an international one. */
  phoneDigits: string | null;
  email: string | null;
  phoneHash: string | null;
  emailHash: string | null;
}

/**
 * A person's deletion request in one transaction: every row the project keeps that names them is
 * emptied (leads and their copies, emails to them, marketplace inquiries, DJs' contact settings,
 * tracked calls), then the audit entry is written with each table's row count and never the data.
 * Free text on rows tied to the person's leads is matched by the phone digits, the email and the
 * name(s) those leads carried.
 */
export async function erasePerson(
  db: DbOrTx,
  p: ErasePerson,
  audit: { at: Date; createdBy: string | null; byPhone: boolean; byEmail: boolean },
): Promise<{ id: string; removed: Record<string, number> }> {
  const at = audit.at.toISOString();
  const d = p.phoneDigits;
  const e = p.email;
  return db.transaction(async (tx) => {
    const removed: Record<string, number> = {};
    const count = async (table: string, q: ReturnType<typeof sql>) => {
      const n = rowsOf(await tx.execute(q)).length;
      if (n > 0) removed[table] = (removed[table] ?? 0) + n;
      return n;
    };
    const people = rowsOf<{ id: string; name: string }>(
      await tx.execute(sql`
        select id, trim(coalesce(contact->>'firstName', '') || ' ' || coalesce(contact->>'lastName', '')) as name
        from leads
        where (${d}::text is not null and phone_normalized = ${d}) or (${e}::text is not null and email_normalized = ${e})
          or (${p.phoneHash}::text is not null and phone_hash = ${p.phoneHash})
          or (${p.emailHash}::text is not null and email_hash = ${p.emailHash})
        for update`),
    );
    const market = rowsOf<{ id: string; name: string }>(
      await tx.execute(sql`
        select id, coalesce(contact->>'name', '') as name from market_leads
        where (${e}::text is not null and lower(contact->>'email') = ${e})
          or (${d}::text is not null and regexp_replace(coalesce(contact->>'phone', ''), '\\D', '', 'g') in (${d}, '1' || ${d}))
        for update`),
    );
    const terms = [
      ...new Set(
        [d, e, ...people.map((r) => r.name), ...market.map((r) => r.name)]
          .filter((t): t is string => !!t && t.trim().length >= 3)
          .map((t) => t.toLowerCase()),
      ),
    ];
    const termsArr = `{${terms.map((t) => `"${t.replace(/["\\]/g, "")}"`).join(",")}}`;
    const names = (col: ReturnType<typeof sql>) =>
      sql`exists (select 1 from unnest(${termsArr}::text[]) t where strpos(lower(${col}::text), t) > 0)`;
    const ids = `{${people.map((r) => r.id).join(",")}}`;
    const mids = `{${market.map((r) => r.id).join(",")}}`;

    await count(
      "leads",
      sql`update leads set contact = jsonb_build_object('firstName', '', 'lastName', ''), phone_normalized = null,
            email_normalized = null, phone_hash = null, email_hash = null, custom_fields = '{}'::jsonb,
            purged_at = coalesce(purged_at, ${at}::timestamptz)
          where id = any(${ids}::uuid[]) returning 1`,
    );
    await count(
      "transactions",
      sql`update transactions set request = null, response = null, post_response = null,
            detail = case when ${names(sql`detail`)} then null else detail end,
            error = case when ${names(sql`error`)} then null else error end
          where lead_id = any(${ids}::uuid[]) returning 1`,
    );
    await count(
      "lead_events",
      sql`update lead_events set data = '{}'::jsonb where lead_id = any(${ids}::uuid[]) and ${names(sql`data`)} returning 1`,
    );
    await count(
      "deliveries",
      sql`update deliveries set last_error = null where lead_id = any(${ids}::uuid[]) and ${names(sql`last_error`)} returning 1`,
    );
    await count(
      "email_outbox",
      sql`update email_outbox set subject = '(erased)', text = '', html = null, error = null,
            "to" = case when lower("to") = ${e ?? ""} then '' else "to" end
          where lead_id = any(${ids}::uuid[]) or (${e}::text is not null and lower("to") = ${e})
            or ${names(sql`subject`)} or ${names(sql`text`)} returning 1`,
    );
    await count(
      "notifications",
      sql`update notifications set body = '', data = '{}'::jsonb where lead_id = any(${ids}::uuid[]) or ${names(sql`body`)} returning 1`,
    );
    await count(
      "return_requests",
      sql`update return_requests set comment = null, decision_note = null where lead_id = any(${ids}::uuid[]) returning 1`,
    );
    await count(
      "market_leads",
      sql`update market_leads set contact = jsonb_build_object('name', ''), venue_name = null, notes = null,
            music_preferences = null where id = any(${mids}::uuid[]) returning 1`,
    );
    await count(
      "market_lead_events",
      sql`update market_lead_events set data = '{}'::jsonb, message = case when ${names(sql`message`)} then '' else message end
          where lead_id = any(${mids}::uuid[]) and (${names(sql`data`)} or ${names(sql`message`)}) returning 1`,
    );
    await count(
      "lead_assignments",
      sql`update lead_assignments set message = null where lead_id = any(${mids}::uuid[]) and ${names(sql`message`)} returning 1`,
    );
    await count(
      "dj_notifications",
      sql`update dj_notifications set detail = '{}'::jsonb, error = null
          where ${names(sql`detail`)} or ${names(sql`error`)} returning 1`,
    );
    await count(
      "djs",
      sql`update djs set contact_email = case when lower(contact_email) = ${e ?? ""} then null else contact_email end,
            contact_phone = case when regexp_replace(coalesce(contact_phone, ''), '\\D', '', 'g') in (${d ?? "-"}, '1' || ${d ?? "-"}) then null else contact_phone end
          where (${e}::text is not null and lower(contact_email) = ${e})
            or (${d}::text is not null and regexp_replace(coalesce(contact_phone, ''), '\\D', '', 'g') in (${d}, '1' || ${d})) returning 1`,
    );
    await count(
      "dj_notify_settings",
      sql`update dj_notify_settings set email_to = case when lower(email_to) = ${e ?? ""} then null else email_to end,
            sms_to = case when regexp_replace(coalesce(sms_to, ''), '\\D', '', 'g') in (${d ?? "-"}, '1' || ${d ?? "-"}) then null else sms_to end
          where (${e}::text is not null and lower(email_to) = ${e})
            or (${d}::text is not null and regexp_replace(coalesce(sms_to, ''), '\\D', '', 'g') in (${d}, '1' || ${d})) returning 1`,
    );
    await count(
      "call_leads",
      sql`update call_leads set caller_hash = null, caller_city = null, caller_state = null
          where ${p.phoneHash}::text is not null and caller_hash = ${p.phoneHash} returning 1`,
    );
    const [row] = rowsOf<{ id: string }>(
      await tx.execute(sql`
        insert into deletion_requests (created_at, created_by, by_phone, by_email, removed)
        values (${at}::timestamptz, ${audit.createdBy}::uuid, ${audit.byPhone}, ${audit.byEmail}, ${JSON.stringify(removed)}::jsonb)
        returning id`),
    );
    return { id: row!.id, removed };
  });
}

export async function listDeletionRequests(db: DbOrTx, limit: number) {
  const res = await db.execute(sql`
    select r.id, r.created_at, r.by_phone, r.by_email, r.removed, u.email as created_by_email
    from deletion_requests r left join users u on u.id = r.created_by
    order by r.created_at desc limit ${limit}`);
  return rowsOf<{
    id: string;
    created_at: string | Date;
    by_phone: boolean;
    by_email: boolean;
    removed: Record<string, number>;
    created_by_email: string | null;
  }>(res).map((r) => ({
    id: r.id,
    createdAt: new Date(r.created_at),
    byPhone: r.by_phone,
    byEmail: r.by_email,
    removed: r.removed,
    createdBy: r.created_by_email,
  }));
}
