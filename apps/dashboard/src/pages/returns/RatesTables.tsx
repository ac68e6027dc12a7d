// Return rates per buyer and per lead source (returns.rates), scoped on the server to the viewer.
import { useQuery } from "@tanstack/react-query";
import { DataTable } from "../../components/DataTable";
import { messageOf, useTRPC } from "../../trpc";
import { money } from "../auction/format";
import { percent } from "./format";

type Row = {
  purchases: number;
  requested: number;
  approved: number;
  pending: number;
  creditedCents: number;
  rateBp: number | null;
};

function Table({
  caption,
  name,
  rows,
}: {
  caption: string;
  name: string;
  rows: (Row & { key: string; label: string })[];
}) {
  return (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(r) => r.key}
      empty="No leads bought in this period."
      columns={[
        { key: "name", header: name, rowHeader: true, cell: (r) => r.label },
        { key: "bought", header: "Leads bought", numeric: true, cell: (r) => r.purchases },
        { key: "asked", header: "Returns asked", numeric: true, cell: (r) => r.requested },
        { key: "approved", header: "Approved", numeric: true, cell: (r) => r.approved },
        { key: "waiting", header: "Waiting", numeric: true, cell: (r) => r.pending },
        { key: "rate", header: "Return rate", numeric: true, cell: (r) => percent(r.rateBp) },
        { key: "credited", header: "Credited", numeric: true, cell: (r) => money(r.creditedCents) },
      ]}
    />
  );
}

export function RatesTables({ buyers = true }: { buyers?: boolean }) {
  const trpc = useTRPC();
  const rates = useQuery(trpc.returns.rates.queryOptions());
  if (rates.isPending) return <p>Loading…</p>;
  if (rates.isError)
    return (
      <p className="error" role="alert">
        {messageOf(rates.error)}
      </p>
    );
  const r = rates.data;
  return (
    <>
      <p className="hint">
        Leads bought in the last {r.days} days: {r.total.purchases}, of which {r.total.approved} returned (
        {percent(r.total.rateBp)}); {money(r.total.creditedCents)} credited.
      </p>
      {buyers ? (
        <>
          <h3>By buyer</h3>
          <Table
            caption="Return rate by buyer"
            name="Buyer"
            rows={r.byBuyer.map((b) => ({ ...b, key: b.buyerId, label: b.buyer }))}
          />
        </>
      ) : null}
      <h3>By lead source</h3>
      <Table
        caption="Return rate by lead source"
        name="Source"
        rows={r.bySource.map((b) => ({ ...b, key: b.sourceOrgId, label: b.source }))}
      />
    </>
  );
}
