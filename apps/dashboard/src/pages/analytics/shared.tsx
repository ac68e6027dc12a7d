// What every analytics page shares: heading, tabs, filters, loading and error states, formats.
import { formatCents } from "@leadflow/engine";
import type { ReactNode } from "react";
import { messageOf } from "../../trpc";
import { AnalyticsTabs, FilterBar } from "./filters";

export const usd = (cents: number | null | undefined) =>
  cents == null ? "–" : formatCents(cents, { trimZeroCents: true });
export const pct = (v: number | null | undefined) => (v == null ? "–" : `${(v * 100).toFixed(1)}%`);
export const dollars = (cents: number) => Math.round(cents) / 100;
/** Rates rounded for the CSV (four places) so it matches the table. */
export const rate4 = (v: number | null) => (v == null ? null : Math.round(v * 10_000) / 10_000);

export const AXIS = { fontSize: 12 } as const;
export const PALETTE = [
  "#0b5cad",
  "#c4320a",
  "#027a48",
  "#6941c6",
  "#b54708",
  "#155b75",
  "#7a271a",
  "#344054",
  "#1570ef",
  "#8a5300",
  "#667085",
  "#b42318",
  "#8a93a3",
];

export function AnalyticsPage(props: {
  title: string;
  intro: string;
  auction?: boolean;
  query: {
    isPending: boolean;
    isError: boolean;
    error: unknown;
    data?: { filters: { from: string; to: string; days: number } } | undefined;
  };
  children: () => ReactNode;
}) {
  const q = props.query;
  return (
    <section className="analytics">
      <h1>{props.title}</h1>
      <AnalyticsTabs />
      <p className="hint">{props.intro}</p>
      <FilterBar auction={props.auction ?? true} shown={q.data?.filters} />
      {q.isPending ? (
        <p aria-live="polite">Loading…</p>
      ) : q.isError ? (
        <p className="error" role="alert">
          {messageOf(q.error)}
        </p>
      ) : (
        props.children()
      )}
    </section>
  );
}
