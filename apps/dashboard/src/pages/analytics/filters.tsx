// The analytics filters live in the URL (?from=&to=&vertical=&buyer=), so a view can be shared
// and the back button works. The server checks them again; its message is shown as is.
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { NavLink, useSearchParams } from "react-router";
import { useTRPC } from "../../trpc";

export interface FilterInput {
  from?: string;
  to?: string;
  vertical?: string;
  buyerId?: string;
}

export function useFilters(): [
  FilterInput,
  (patch: Partial<Record<"from" | "to" | "vertical" | "buyer", string>>) => void,
] {
  const [params, setParams] = useSearchParams();
  const input: FilterInput = {};
  const from = params.get("from");
  const to = params.get("to");
  const vertical = params.get("vertical");
  const buyer = params.get("buyer");
  if (from) input.from = from;
  if (to) input.to = to;
  if (vertical) input.vertical = vertical;
  if (buyer) input.buyerId = buyer;
  const set = (patch: Partial<Record<"from" | "to" | "vertical" | "buyer", string>>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  return [input, set];
}

const PAGES = [
  { to: "/analytics/lost-reasons", label: "Lost reasons" },
  { to: "/analytics/buyers", label: "Buyers" },
  { to: "/analytics/revenue", label: "Revenue and deliveries" },
  { to: "/analytics/marketplace", label: "Marketplace" },
];

/** Tabs between the analytics pages, keeping the filters. */
export function AnalyticsTabs() {
  const [params] = useSearchParams();
  const qs = params.toString();
  return (
    <nav className="tabs" aria-label="Analytics pages">
      {PAGES.map((p) => (
        <NavLink key={p.to} to={`${p.to}${qs ? `?${qs}` : ""}`}>
          {p.label}
        </NavLink>
      ))}
    </nav>
  );
}

export function FilterBar({
  auction = true,
  shown,
}: {
  auction?: boolean;
  shown?: { from: string; to: string; days: number } | undefined;
}) {
  const trpc = useTRPC();
  const id = useId();
  const opts = useQuery(trpc.analytics.options.queryOptions());
  const [input, set] = useFilters();
  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor={`${id}-from`}>From</label>
        <input
          id={`${id}-from`}
          type="date"
          value={input.from ?? shown?.from ?? ""}
          max={opts.data?.today}
          onChange={(e) => set({ from: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>To</label>
        <input
          id={`${id}-to`}
          type="date"
          value={input.to ?? shown?.to ?? ""}
          onChange={(e) => set({ to: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-v`}>Vertical</label>
        <select
          id={`${id}-v`}
          value={input.vertical ?? ""}
          disabled={!auction}
          onChange={(e) => set({ vertical: e.target.value })}
        >
          <option value="">All verticals</option>
          {opts.data?.verticals.map((v) => (
            <option key={v.key} value={v.key}>
              {v.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-b`}>Buyer</label>
        <select
          id={`${id}-b`}
          value={input.buyerId ?? ""}
          disabled={!auction}
          onChange={(e) => set({ buyer: e.target.value })}
        >
          <option value="">All buyers</option>
          {opts.data?.buyers.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
              {b.type === "CONTRACTOR" ? " (contractor)" : ""}
            </option>
          ))}
        </select>
      </div>
      <p className="hint filters-note">
        {shown ? `${shown.days} UTC day${shown.days === 1 ? "" : "s"}, ${shown.from} to ${shown.to}. ` : ""}
        {auction
          ? `At most ${opts.data?.maxDays ?? 366} days at a time.`
          : "Verticals and buyers belong to the auction; the marketplace is broken down by city and event type instead."}
      </p>
    </form>
  );
}
