// The admin's home: today's and this week's figures, each with its last 14 days drawn as a small
// line and a link to the page that explains it, then every organisation. The figures come from
// admin.overview, which runs the analytics pages' own queries, so a card and its page agree.
import type { AppRouter } from "@leadflow/api";
import { formatCents } from "@leadflow/engine";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { Link } from "react-router";
import { DataTable, type Column } from "../components/DataTable";
import { labelOf, ORG_KIND_LABELS, OVERVIEW_LABELS } from "../labels";
import { messageOf, useTRPC } from "../trpc";

type RouterOutputs = inferRouterOutputs<AppRouter>;

type Overview = RouterOutputs["admin"]["overview"];
type Org = RouterOutputs["admin"]["orgs"][number];

const count = (n: number | null) => (n == null ? "–" : n.toLocaleString("en-US"));
const percent = (bp: number | null) => (bp == null ? "–" : `${(bp / 100).toFixed(1)}%`);
const money = (c: number | null) => (c == null ? "–" : formatCents(c));
const ms = (n: number | null) => (n == null ? "–" : `${n.toLocaleString("en-US")} ms`);

/** A line over the days' values, scaled to its own range; days with nothing to measure are gaps. */
function Sparkline({
  values,
  days,
  format,
}: {
  values: (number | null)[];
  days: string[];
  format: (v: number | null) => string;
}) {
  const W = 140;
  const H = 36;
  const known = values.filter((v): v is number => v != null);
  const lo = Math.min(0, ...known);
  const hi = Math.max(1, ...known);
  const x = (i: number) => (values.length > 1 ? (i * W) / (values.length - 1) : W / 2);
  const y = (v: number) => H - 2 - ((v - lo) * (H - 4)) / (hi - lo);
  // One path, broken where a day has no value (M starts a new piece).
  let d = "";
  let pen = false;
  values.forEach((v, i) => {
    if (v == null) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  const first = days[0] ?? "";
  const last = days[days.length - 1] ?? "";
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${W} ${H}`}
      width={W}
      height={H}
      role="img"
      aria-label={`Per day from ${first} to ${last}: ${values.map(format).join(", ")}`}
    >
      <path d={d} fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
      {values.map((v, i) =>
        v != null && i === values.length - 1 ? (
          <circle key={i} cx={x(i)} cy={y(v)} r="2.5" fill="currentColor" />
        ) : null,
      )}
    </svg>
  );
}

interface CardSpec {
  key: keyof typeof OVERVIEW_LABELS;
  main: string;
  mainLabel: string;
  second: string;
  secondLabel: string;
  series: (number | null)[];
  format: (v: number | null) => string;
  to: string;
  linkText: string;
}

function cards(o: Overview): CardSpec[] {
  const week = `?from=${o.weekFrom}&to=${o.today}`;
  const summed = (
    key: "leads" | "soldBp" | "revenueCents" | "profitCents" | "medianLatencyMs" | "timeouts",
    format: (v: number | null) => string,
    to: string,
    linkText: string,
  ): CardSpec => ({
    key,
    main: format(o[key].today),
    mainLabel: "today",
    second: format(o[key].week),
    secondLabel: "last 7 days",
    series: o[key].series,
    format,
    to,
    linkText,
  });
  return [
    summed("leads", count, `/analytics/revenue${week}`, "Revenue analytics"),
    summed("soldBp", percent, `/analytics/revenue${week}`, "Revenue analytics"),
    summed("revenueCents", money, `/analytics/revenue${week}`, "Revenue analytics"),
    summed("profitCents", money, `/analytics/revenue${week}`, "Profit by source"),
    summed("medianLatencyMs", ms, `/analytics/buyers${week}`, "Buyer analytics"),
    summed("timeouts", count, `/analytics/buyers${week}`, "Buyer analytics"),
    {
      key: "openOffers",
      main: count(o.openOffers.now),
      mainLabel: "open now",
      second: count(o.openOffers.series.reduce((a, b) => a + b, 0)),
      secondLabel: "sent in 14 days",
      series: o.openOffers.series,
      format: count,
      to: "/marketplace/leads",
      linkText: "DJ leads",
    },
    {
      key: "failingDeliveries",
      main: count(o.failingDeliveries.now),
      mainLabel: "failed or dead now",
      second: count(o.failingDeliveries.series.reduce((a, b) => a + b, 0)),
      secondLabel: "owed in 14 days",
      series: o.failingDeliveries.series,
      format: count,
      to: `/analytics/revenue${week}`,
      linkText: "Deliveries",
    },
  ];
}

const ORG_COLUMNS: Column<Org>[] = [
  { key: "name", header: "Name", cell: (o) => o.name, rowHeader: true },
  { key: "kind", header: "Kind", cell: (o) => labelOf(ORG_KIND_LABELS, o.kind) },
  { key: "users", header: "Users", cell: (o) => o.users, numeric: true },
];

export function AdminHome() {
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.admin.overview.queryOptions(), refetchInterval: 60_000 });
  const orgs = useQuery(trpc.admin.orgs.queryOptions());
  return (
    <section>
      <h1>Platform overview</h1>
      {overview.isPending ? (
        <p>Loading…</p>
      ) : overview.isError ? (
        <p className="error" role="alert">
          {messageOf(overview.error)}
        </p>
      ) : (
        <>
          <p className="hint">
            UTC days; sparklines show {overview.data.days[0]} to {overview.data.today}.
          </p>
          <ul className="overview-cards" aria-label="Figures">
            {cards(overview.data).map((c) => (
              <li key={c.key} className="card overview-card" data-testid={`overview-${c.key}`}>
                <h2 id={`overview-${c.key}`}>{OVERVIEW_LABELS[c.key]}</h2>
                <p className="overview-main">
                  <strong>{c.main}</strong> <span className="hint">{c.mainLabel}</span>
                </p>
                <p className="overview-second">
                  {c.second} <span className="hint">{c.secondLabel}</span>
                </p>
                <Sparkline values={c.series} days={overview.data.days} format={c.format} />
                <Link to={c.to} aria-describedby={`overview-${c.key}`}>
                  {c.linkText}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>Organisations</h2>
      {orgs.isPending ? (
        <p>Loading…</p>
      ) : orgs.isError ? (
        <p className="error" role="alert">
          {messageOf(orgs.error)}
        </p>
      ) : (
        <DataTable
          caption="Organisations"
          columns={ORG_COLUMNS}
          rows={orgs.data}
          rowKey={(o) => o.id}
          empty="No organisations yet."
        />
      )}
    </section>
  );
}
