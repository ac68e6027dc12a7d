// Lead search results: the top bar's text plus status and date filters, kept in the URL so a
// search can be shared and the back button works; pages of 25, newest first.
import type { AppRouter } from "@leadflow/api";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { Field } from "../../components/Field";
import type { Role } from "../../routes";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { CursorPager, rangeText, useCursorPages } from "../../components/CursorPager";
import { DataTable } from "../../components/DataTable";

type Hit = inferRouterOutputs<AppRouter>["search"]["leads"]["items"][number];
type Status = Hit["status"];

const STATUS_LABELS: Record<Status, string> = {
  RECEIVED: "Received",
  PROCESSING: "In auction",
  SOLD: "Sold",
  UNSOLD: "Unsold",
  REJECTED: "Rejected",
  pending: "New inquiry",
  scoring: "Scoring",
  routing: "Routing",
  exclusive: "Offered to one DJ",
  tier_expansion: "Offered to more DJs",
  broadcast: "Offered to all DJs nearby",
  accepted: "Accepted by a DJ",
  converted: "Booked",
  closed: "Closed",
  concierge: "With concierge",
};
const AUCTION_STATUSES = ["RECEIVED", "PROCESSING", "SOLD", "UNSOLD", "REJECTED"] as const satisfies readonly Status[];
const KIND_LABELS: Record<Hit["kind"], string> = { auction: "Lead", market: "DJ inquiry" };
const PAGE = 25;

/** Which statuses a role can meet: sellers and buyers only auction leads, DJs only inquiries. */
function statusesFor(role: Role): Status[] {
  const all = Object.keys(STATUS_LABELS) as Status[];
  const auction = new Set<Status>(AUCTION_STATUSES);
  if (role === "admin") return all;
  return role === "dj" ? all.filter((s) => !auction.has(s)) : [...AUCTION_STATUSES];
}

/** Where a hit opens, if the role has a page for it. */
function hrefFor(role: Role, hit: Hit): string | null {
  if (hit.kind === "auction")
    return role === "admin" || role === "contractor" || role === "network" || role === "seller"
      ? `/leads/${hit.id}`
      : null;
  return role === "admin" ? "/marketplace/leads" : role === "dj" ? "/" : null;
}

/** A date input's day as the instant it starts here; `next` gives the start of the day after. */
function dayStart(day: string, next = false): Date | undefined {
  if (!/^\d{4}-\d\d-\d\d$/.test(day)) return undefined;
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d + (next ? 1 : 0));
}

export function SearchPage() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const role: Role = me.data?.role ?? "seller";
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const status = (params.get("status") ?? "") as Status | "";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const pages = useCursorPages();
  const input = {
    text: q || undefined,
    status: status || undefined,
    from: dayStart(from),
    to: dayStart(to, true),
    limit: PAGE,
    cursor: pages.cursor,
  };
  const results = useQuery({ ...trpc.search.leads.queryOptions(input), placeholderData: keepPreviousData });
  const fe = fieldErrorsOf(results.error);
  const general = results.error && !Object.keys(fe).length ? messageOf(results.error) : null;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const key of ["q", "status", "from", "to"]) {
      const v = String(form.get(key) ?? "").trim();
      if (v) next.set(key, v);
    }
    pages.reset();
    setParams(next);
  }

  const items = results.data?.items ?? [];
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Search leads</h1>
      {/* key: a new search from the top bar refills the form */}
      <form key={params.toString()} onSubmit={submit} className="search-filters" aria-label="Search filters">
        <Field
          label="Phone, email, name, external id or lead id"
          name="q"
          type="search"
          defaultValue={q}
          errors={fe.text}
        />
        <div className="field">
          <label htmlFor="search-status">Status</label>
          <select id="search-status" name="status" defaultValue={status} aria-invalid={fe.status ? true : undefined}>
            <option value="">Any status</option>
            {statusesFor(role).map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
          {fe.status ? (
            <p className="error" role="alert">
              {fe.status.join(" ")}
            </p>
          ) : null}
        </div>
        <Field label="Received from" name="from" type="date" defaultValue={from} errors={fe.from} />
        <Field label="Received to (inclusive)" name="to" type="date" defaultValue={to} errors={fe.to} />
        <div className="field">
          <button type="submit" className="primary">
            Search
          </button>
        </div>
      </form>
      {general ? <p role="alert">{general}</p> : null}
      <p role="status" aria-live="polite">
        {results.isPending
          ? "Searching…"
          : results.isError
            ? ""
            : items.length === 0
              ? "No leads match."
              : rangeText(pages, PAGE, items.length, !!results.data?.nextCursor)}
      </p>
      {items.length > 0 ? (
        <DataTable
          caption="Search results"
          rows={items}
          rowKey={(hit) => `${hit.kind}-${hit.id}`}
          empty="No leads match."
          columns={[
            {
              key: "lead",
              header: "Lead",
              rowHeader: true,
              cell: (hit) => {
                const href = hrefFor(role, hit);
                const label = `${KIND_LABELS[hit.kind]} ${hit.externalId ?? hit.id.slice(0, 8)}`;
                return href ? <Link to={href}>{label}</Link> : label;
              },
            },
            {
              key: "customer",
              header: "Customer",
              cell: (hit) => hit.name ?? <span className="hint">Hidden until bought or unlocked</span>,
            },
            { key: "status", header: "Status", cell: (hit) => STATUS_LABELS[hit.status] },
            { key: "what", header: "What, where", cell: (hit) => `${hit.what}, ${hit.place}` },
            { key: "at", header: "Received", cell: (hit) => new Date(hit.at).toLocaleString() },
          ]}
        />
      ) : null}
      <CursorPager label="Result pages" pages={pages} nextCursor={results.data?.nextCursor} />
    </section>
  );
}
