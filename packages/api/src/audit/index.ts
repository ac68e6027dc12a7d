// The audit log's one writer. `audited(spec, resolver)` wraps a settings mutation: it opens a
// transaction, snapshots the entity, runs the resolver with `ctx.db` bound to that transaction,
// snapshots again and writes the entry (who, org, when, address, before, after, changed fields)
// in the same transaction, so a change and its entry are committed together or not at all.
// Secrets are replaced by "[redacted]" before anything is stored (docs/security.md).
import { insertAuditEntry, loadAuditSnapshot, type AuditEntity, type AuditSnapshot, type Db } from "@leadflow/db";
import type { Context } from "../context";

export const REDACTED = "[redacted]";

/** Field names whose values are secrets wherever they appear (webhook secrets, key hashes, auth). */
const SECRET_NAME =
  /(secret|password|passwd|token|api[_-]?key|key[_-]?hash|authorization|credential|signature|private|^auth$|^x-api-key$)/i;

/** A copy of `value` with every secret replaced; a `{ name, value }` pair whose name is a secret's too. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const pairName = typeof o.name === "string" ? o.name : typeof o.header === "string" ? o.header : null;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (v !== null && v !== undefined && SECRET_NAME.test(k)) out[k] = REDACTED;
      else if (k === "value" && pairName && SECRET_NAME.test(pairName) && v !== null && v !== undefined)
        out[k] = REDACTED;
      else out[k] = redact(v);
    }
    return out;
  }
  return value;
}

/** Top-level fields whose value differs (secrets compare by their real value, so a rotation shows). */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys].filter((k) => JSON.stringify(before?.[k] ?? null) !== JSON.stringify(after?.[k] ?? null)).sort();
}

type AuditCtx = Pick<Context, "db" | "clock" | "ip"> & {
  user: { id: string; email: string; role: string; orgId: string } | null;
};

/** A create's id: the `id` of what the resolver returned. */
export const createdId = (_input: unknown, _ctx: unknown, result?: unknown): string | undefined =>
  (result as { id?: unknown } | undefined)?.id as string | undefined;

type Opts = { ctx: AuditCtx; input: unknown; path: string };

export interface AuditSpec<O extends Opts> {
  entity: AuditEntity;
  /** The changed entity's id: from the input, the caller (its own org) or, for a create, the result. */
  id: (
    input: O["input"],
    ctx: O["ctx"],
    result?: unknown,
  ) => string | null | undefined | Promise<string | null | undefined>;
  /** The action's name; defaults to the procedure's path (e.g. "buyers.update"). */
  action?: string;
}

/** Writes one entry (inside `db`, which must be the change's own transaction). */
export async function recordAudit(
  db: Db,
  ctx: AuditCtx,
  e: {
    entity: AuditEntity;
    entityId: string;
    action: string;
    before: AuditSnapshot | null;
    after: AuditSnapshot | null;
  },
): Promise<void> {
  const before = e.before ? (redact(e.before.fields) as Record<string, unknown>) : null;
  const after = e.after ? (redact(e.after.fields) as Record<string, unknown>) : null;
  await insertAuditEntry(db, {
    at: ctx.clock.now(),
    actorUserId: ctx.user?.id ?? null,
    actorEmail: ctx.user?.email ?? null,
    actorRole: ctx.user?.role ?? null,
    actorOrgId: ctx.user?.orgId ?? null,
    orgId: e.after?.orgId ?? e.before?.orgId ?? null,
    ip: ctx.ip ?? null,
    entityType: e.entity,
    entityId: e.entityId,
    action: e.action,
    before,
    after,
    changed: changedFields(e.before?.fields ?? null, e.after?.fields ?? null),
  });
}

/** Marks a resolver as writing its own audit entries (the coverage test reads the mark). */
export function markAudited<F extends object>(resolver: F, entity: AuditEntity): F {
  Object.defineProperty(resolver, "audited", { value: entity });
  return resolver;
}

/** The entity a procedure's resolver audits, or undefined (tooling's coverage test). */
export function auditedEntityOf(resolver: unknown): AuditEntity | undefined {
  return (resolver as { audited?: AuditEntity } | undefined)?.audited;
}

/**
 * Wraps a mutation's resolver. The resolver's `ctx.db` is the transaction; an error anywhere rolls
 * back the change and the entry alike. A change that leaves the entity as it was writes nothing.
 */
export function audited<O extends Opts, R>(
  spec: AuditSpec<O>,
  resolver: (opts: O) => Promise<R> | R,
): (opts: O) => Promise<R> {
  const wrapped = async (opts: O): Promise<R> => {
    const { ctx, input } = opts;
    return ctx.db.transaction(async (tx) => {
      const txCtx: O["ctx"] = { ...ctx, db: tx as unknown as Db };
      const knownId = await spec.id(input, txCtx);
      const before = knownId ? await loadAuditSnapshot(tx, spec.entity, knownId) : null;
      const result = await resolver({ ...opts, ctx: txCtx });
      const id = knownId ?? (await spec.id(input, txCtx, result));
      if (!id) return result;
      const after = await loadAuditSnapshot(tx, spec.entity, id);
      if (before && after && changedFields(before.fields, after.fields).length === 0) return result;
      await recordAudit(tx as unknown as Db, txCtx, {
        entity: spec.entity,
        entityId: id,
        action: spec.action ?? opts.path,
        before,
        after,
      });
      return result;
    });
  };
  return markAudited(wrapped, spec.entity);
}

/**
 * For a change to many entities at once (an import): every entity `ids` lists before and after is
 * snapshotted, and each one that changed gets its own entry, all in the change's transaction.
 */
export function auditedMany<O extends Opts, R>(
  spec: { entity: AuditEntity; ids: (db: Db) => Promise<string[]>; action?: string },
  resolver: (opts: O) => Promise<R> | R,
): (opts: O) => Promise<R> {
  const wrapped = async (opts: O): Promise<R> =>
    opts.ctx.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      const txCtx: O["ctx"] = { ...opts.ctx, db };
      const before = new Map<string, AuditSnapshot | null>();
      for (const id of await spec.ids(db)) before.set(id, await loadAuditSnapshot(db, spec.entity, id));
      const result = await resolver({ ...opts, ctx: txCtx });
      const ids = new Set([...before.keys(), ...(await spec.ids(db))]);
      for (const id of ids) {
        const b = before.get(id) ?? null;
        const a = await loadAuditSnapshot(db, spec.entity, id);
        if (changedFields(b?.fields ?? null, a?.fields ?? null).length === 0) continue;
        await recordAudit(db, txCtx, {
          entity: spec.entity,
          entityId: id,
          action: spec.action ?? opts.path,
          before: b,
          after: a,
        });
      }
      return result;
    });
  return markAudited(wrapped, spec.entity);
}
