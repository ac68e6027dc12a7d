// A lead seller's leads: filters (status, vertical, received days of the seller's own time zone,
// externalId) and a search box,
// kept in the URL so a view can be shared and the back button works; pages of 25, newest first;
// and the same filter downloaded as CSV (GET /api/seller/leads.csv, apps/server/src/seller-exports.ts).
import type { AppRouter } from "@leadflow/api";
import { LEAD_STATUSES } from "@leadflow/engine";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { CursorPager, rangeText, useCursorPages } from "../../components/CursorPager";
import { DataTable, type Column } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { LEAD_STATUS_TEXT, UNSOLD_REASON_TEXT } from "../../labels";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { money, sellerTime } from "./portal-format";

type Row = inferRouterOutputs<AppRouter>["sellerPortal"]["leads"]["items"][number];
type Status = Row["status"];

const PAGE = 25;
const KEYS = ["q", "status", "vertical", "from", "to", "externalId"] as const;

const columns = (timeZone: string): Column<Row>[] => [
  {
    key: "lead",
    header: "Lead",
    rowHeader: true,
    cell: (l) => <Link to={`/leads/${l.id}`}>{l.externalId ?? `${l.id.slice(0, 8)}…`}</Link>,
  },
  { key: "received", header: "Received", cell: (l) => sellerTime(l.receivedAt, timeZone) },
  {
    key: "status",
    header: "Status",
    cell: (l) => (
      <>
        {LEAD_STATUS_TEXT[l.status]}
        {l.unsoldReason ? `: ${UNSOLD_REASON_TEXT[l.unsoldReason]}` : ""}
        {l.returned ? <span className="tag">returned</span> : null}
      </>
    ),
  },
  { key: "vertical", header: "Vertical", cell: (l) => l.vertical },
  { key: "zip", header: "ZIP", cell: (l) => l.zip },
  { key: "earned", header: "Earned", numeric: true, cell: (l) => money(l.earnedCents) },
];

export function SellerLeadsPage() {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const filter = Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? ""])) as Record<(typeof KEYS)[number], string>;
  const pages = useCursorPages();
  const verticals = useQuery(trpc.sellerPortal.verticals.queryOptions());
  const input = {
    filter: {
      q: filter.q || undefined,
      status: (filter.status || undefined) as Status | undefined,
      vertical: filter.vertical || undefined,
      from: filter.from || undefined,
      to: filter.to || undefined,
      externalId: filter.externalId || undefined,
    },
    limit: PAGE,
    cursor: pages.cursor ?? null,
  };
  const results = useQuery({ ...trpc.sellerPortal.leads.queryOptions(input), placeholderData: keepPreviousData });
  const fe = fieldErrorsOf(results.error);
  const feOf = (k: string) => fe[k] ?? fe[`filter.${k}`];
  const general = results.error && !Object.keys(fe).length ? messageOf(results.error) : null;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const key of KEYS) {
      const v = String(form.get(key) ?? "").trim();
      if (v) next.set(key, v);
    }
    pages.reset();
    setParams(next);
  }

  const exportQuery = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== "")).toString();
  const items = results.data?.items ?? [];
  const timeZone = results.data?.timeZone;
  return (
    <section aria-labelledby="seller-leads-title">
      <h1 id="seller-leads-title">Your leads</h1>
      <p className="hint" data-testid="seller-time-zone">
        {timeZone ? (
          <>
            Times in <strong>{timeZone}</strong>: the days below are its days, by when LeadFlow received the lead.
          </>
        ) : (
          "The days below are your time zone's days, by when LeadFlow received the lead."
        )}
      </p>
      <form key={params.toString()} onSubmit={submit} className="filters" aria-label="Lead filters">
        <Field
          label="Search"
          name="q"
          type="search"
          defaultValue={filter.q}
          errors={feOf("q")}
          hint="Phone, email, name, lead id or part of your id"
        />
        <div className="field">
          <label htmlFor="seller-status">Status</label>
          <select id="seller-status" name="status" defaultValue={filter.status}>
            <option value="">Any status</option>
            {LEAD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {LEAD_STATUS_TEXT[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="seller-vertical">Vertical</label>
          <select id="seller-vertical" name="vertical" defaultValue={filter.vertical}>
            <option value="">Any vertical</option>
            {(verticals.data ?? []).map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
            {filter.vertical && !(verticals.data ?? []).includes(filter.vertical) ? (
              <option value={filter.vertical}>{filter.vertical}</option>
            ) : null}
          </select>
        </div>
        <Field label="Received from" name="from" type="date" defaultValue={filter.from} errors={feOf("from")} />
        <Field label="Received to (inclusive)" name="to" type="date" defaultValue={filter.to} errors={feOf("to")} />
        <Field
          label="Your external id"
          name="externalId"
          defaultValue={filter.externalId}
          errors={feOf("externalId")}
        />
        <div className="field">
          <button type="submit" className="primary">
            Show leads
          </button>
        </div>
      </form>
      <p>
        <a className="button-link" href={`/api/seller/leads.csv${exportQuery ? `?${exportQuery}` : ""}`} download>
          Download these leads as CSV
        </a>
      </p>
      {general ? (
        <p className="error" role="alert">
          {general}
        </p>
      ) : null}
      <p role="status" aria-live="polite">
        {results.isPending
          ? "Loading…"
          : results.isError
            ? ""
            : items.length === 0
              ? "No leads match."
              : rangeText(pages, PAGE, items.length, !!results.data?.nextCursor)}
      </p>
      <DataTable
        caption="Your leads"
        columns={columns(timeZone ?? "UTC")}
        rows={items}
        rowKey={(l) => l.id}
        rowProps={(l) => ({ "data-testid": `seller-lead-${l.externalId ?? l.id}` })}
        empty={null}
      />
      <CursorPager label="Lead pages" pages={pages} nextCursor={results.data?.nextCursor} />
    </section>
  );
}
