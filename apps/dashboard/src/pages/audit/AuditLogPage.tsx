// The audit log: every change to a setting, newest first, with who made it, from where, and each
// changed field's value before and after (secrets shown as "hidden"). An admin sees every entry and
// filters by entity, actor, action and days; a buyer sees the entries about its own organisation.
import { formatCents } from "@leadflow/engine";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { DataTable, type Column } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { dateTime } from "../../format/time";
import { AUDIT_ACTION_TEXT, AUDIT_ENTITY_TEXT, labelOf, ROLE_LABELS, type AuditEntity } from "../../labels";
import { fieldErrorsOf, messageOf, useTRPC, type RouterOutputs } from "../../trpc";

type Entry = RouterOutputs["audit"]["list"]["rows"][number];
const PAGE = 25;
const ENTITIES = Object.keys(AUDIT_ENTITY_TEXT) as AuditEntity[];

/** "minBidCents" → "min bid". */
const fieldName = (k: string) =>
  k
    .replace(/Cents$/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase();

/** One value in words: money through the money formatter, lists and objects summarised, never raw JSON. */
function valueText(key: string, v: unknown): string {
  if (v === null || v === undefined) return "none";
  if (v === "[redacted]") return "hidden";
  if (typeof v === "number") return key.endsWith("Cents") ? formatCents(v) : String(v);
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "string") return v.length > 60 ? `${v.slice(0, 57)}…` : v;
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === "string" || typeof x === "number")) return v.length ? v.join(", ") : "none";
    return `${v.length} ${v.length === 1 ? "entry" : "entries"}`;
  }
  return "set";
}

function Changes({ e }: { e: Entry }) {
  if (e.action === "buyers.sendTest" && e.after)
    return (
      <span className="break">{`Test ${valueText("kind", e.after.kind)} to ${valueText("url", e.after.url)}`}</span>
    );
  if (!e.before && e.after) return <span>Created</span>;
  if (e.before && !e.after) return <span>Removed</span>;
  if (e.changed.length === 0) return <span>—</span>;
  return (
    <ul className="audit-changes">
      {e.changed.map((k) => {
        const b = e.before?.[k];
        const a = e.after?.[k];
        const structured = (x: unknown) => x !== null && typeof x === "object" && !Array.isArray(x);
        return (
          <li key={k}>
            <strong>{fieldName(k)}</strong>:{" "}
            {structured(a) || structured(b) ? "changed" : `${valueText(k, b)} → ${valueText(k, a)}`}
          </li>
        );
      })}
    </ul>
  );
}

/** Which user an entry is about: the email as it was stored (a user's email never changes). */
const userEmailOf = (e: Entry) => {
  const v = e.after?.email ?? e.before?.email;
  return typeof v === "string" ? v : "";
};

const COLUMNS: Column<Entry>[] = [
  { key: "at", header: "When", cell: (e) => dateTime(e.at), rowHeader: true },
  {
    key: "who",
    header: "Who",
    cell: (e) => (
      <>
        {e.actorEmail ?? labelOf(ROLE_LABELS, e.actorRole, "LeadFlow")}
        {e.ip ? <span className="hint"> from {e.ip}</span> : null}
      </>
    ),
  },
  {
    key: "what",
    header: "What",
    cell: (e) => (
      <>
        {labelOf(AUDIT_ACTION_TEXT, e.action)}
        <span className="hint"> · {labelOf(AUDIT_ENTITY_TEXT, e.entityType)}</span>
        {e.entityType === "user" ? <span className="hint break"> {userEmailOf(e)}</span> : null}
      </>
    ),
  },
  { key: "changes", header: "Changes", cell: (e) => <Changes e={e} /> },
];

interface Filter {
  entityType: string;
  actor: string;
  action: string;
  from: string;
  to: string;
}
const NO_FILTER: Filter = { entityType: "", actor: "", action: "", from: "", to: "" };

export function AuditLogPage({ admin = false }: { admin?: boolean }) {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [cursors, setCursors] = useState<string[]>([]);
  const actions = useQuery(trpc.audit.actions.queryOptions());
  const input = {
    entityType: (filter.entityType || undefined) as AuditEntity | undefined,
    actor: filter.actor || undefined,
    action: filter.action || undefined,
    from: filter.from || undefined,
    to: filter.to || undefined,
    cursor: cursors.at(-1),
    limit: PAGE,
  };
  const list = useQuery(trpc.audit.list.queryOptions(input));
  const fe = fieldErrorsOf(list.error);

  function submit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const f = new FormData(ev.currentTarget);
    const get = (k: keyof Filter) => String(f.get(k) ?? "").trim();
    setFilter({
      entityType: get("entityType"),
      actor: get("actor"),
      action: get("action"),
      from: get("from"),
      to: get("to"),
    });
    setCursors([]);
  }
  const rows = list.data?.rows ?? [];
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <p className="hint">
        {admin
          ? "Every change to a buyer, a source, a vertical, a routing or returns setting, a user or an API key, newest first. Secrets are never shown."
          : "Every change to your organisation's settings, by you or by LeadFlow, newest first."}{" "}
        Days are UTC days.
      </p>
      <form onSubmit={submit} className="filters" aria-label="Audit log filters">
        <div className="field">
          <label htmlFor="audit-entity">Entity</label>
          <select id="audit-entity" name="entityType" defaultValue={filter.entityType}>
            <option value="">Anything</option>
            {ENTITIES.map((e) => (
              <option key={e} value={e}>
                {AUDIT_ENTITY_TEXT[e]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" name="action" defaultValue={filter.action}>
            <option value="">Any action</option>
            {(actions.data ?? []).map((a) => (
              <option key={a} value={a}>
                {labelOf(AUDIT_ACTION_TEXT, a)}
              </option>
            ))}
          </select>
        </div>
        {admin ? (
          <Field label="Who (email)" name="actor" type="search" defaultValue={filter.actor} errors={fe.actor} />
        ) : null}
        <Field label="From (day)" name="from" type="date" defaultValue={filter.from} errors={fe.from} />
        <Field label="To (day, inclusive)" name="to" type="date" defaultValue={filter.to} errors={fe.to} />
        <div className="field">
          <button type="submit" className="primary">
            Show entries
          </button>
        </div>
      </form>
      {list.isError ? (
        <p className="error" role="alert">
          {messageOf(list.error)}
        </p>
      ) : null}
      <p role="status" aria-live="polite">
        {list.isPending
          ? "Loading…"
          : list.isError
            ? ""
            : rows.length === 0
              ? "No entries match."
              : `${rows.length} entries shown.`}
      </p>
      <DataTable
        caption="Audit log"
        columns={COLUMNS}
        rows={rows}
        rowKey={(e) => e.id}
        rowProps={(e) => ({ "data-testid": `audit-${e.action}` })}
        empty={null}
      />
      <nav aria-label="Audit log pages" className="pager">
        <button type="button" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer entries
        </button>
        <button
          type="button"
          disabled={!list.data?.next}
          onClick={() => list.data?.next && setCursors((c) => [...c, list.data.next!])}
        >
          Older entries
        </button>
      </nav>
    </section>
  );
}
