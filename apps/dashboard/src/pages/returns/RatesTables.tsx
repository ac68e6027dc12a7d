// Return rates per buyer and per lead source (returns.rates), scoped on the server to the viewer.
import { useQuery } from "@tanstack/react-query";
import { messageOf, useTRPC } from "../../trpc";
import { money } from "../auction/format";
import { percent } from "./format";

type Row = { purchases: number; requested: number; approved: number; pending: number; creditedCents: number; rateBp: number | null };

function Table({ caption, name, rows }: { caption: string; name: string; rows: (Row & { key: string; label: string })[] }) {
  if (rows.length === 0) return <p>No leads bought in this period.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{name}</th>
            <th scope="col">Leads bought</th>
            <th scope="col">Returns asked</th>
            <th scope="col">Approved</th>
            <th scope="col">Waiting</th>
            <th scope="col">Return rate</th>
            <th scope="col">Credited</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td>{r.label}</td>
              <td>{r.purchases}</td>
              <td>{r.requested}</td>
              <td>{r.approved}</td>
              <td>{r.pending}</td>
              <td>{percent(r.rateBp)}</td>
              <td>{money(r.creditedCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RatesTables({ buyers = true }: { buyers?: boolean }) {
  const trpc = useTRPC();
  const rates = useQuery(trpc.returns.rates.queryOptions());
  if (rates.isPending) return <p>Loading…</p>;
  if (rates.isError) return <p className="error" role="alert">{messageOf(rates.error)}</p>;
  const r = rates.data;
  return (
    <>
      <p className="hint">
        Leads bought in the last {r.days} days: {r.total.purchases}, of which {r.total.approved} returned ({percent(r.total.rateBp)}); {money(r.total.creditedCents)} credited.
      </p>
      {buyers ? (
        <>
          <h3>By buyer</h3>
          <Table caption="Return rate by buyer" name="Buyer" rows={r.byBuyer.map((b) => ({ ...b, key: b.buyerId, label: b.buyer }))} />
        </>
      ) : null}
      <h3>By lead source</h3>
      <Table caption="Return rate by lead source" name="Source" rows={r.bySource.map((b) => ({ ...b, key: b.sourceOrgId, label: b.source }))} />
    </>
  );
}
