// Return requests as a table (returns.list): what was returned, why, and what came of it.
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { DataTable } from "../../components/DataTable";
import { messageOf, useTRPC } from "../../trpc";
import { money, when } from "../auction/format";
import { labelOf, RETURN_REASON_TEXT, RETURN_RULE_TEXT, RETURN_STATUS_TEXT } from "../../labels";

export function ReturnsList({
  caption,
  showBuyer = true,
  showSource = false,
  leadLinks = true,
}: {
  caption: string;
  showBuyer?: boolean;
  showSource?: boolean;
  leadLinks?: boolean;
}) {
  const trpc = useTRPC();
  const list = useQuery(trpc.returns.list.queryOptions({ limit: 100 }));
  if (list.isPending) return <p>Loading…</p>;
  if (list.isError)
    return (
      <p className="error" role="alert">
        {messageOf(list.error)}
      </p>
    );
  type Row = (typeof list.data)[number];
  return (
    <DataTable<Row>
      caption={caption}
      rows={list.data}
      rowKey={(r) => r.id}
      rowProps={() => ({ "data-testid": "return-row" })}
      empty="No returns yet."
      columns={[
        { key: "asked", header: "Asked", cell: (r) => when(r.createdAt) },
        {
          key: "lead",
          header: "Lead",
          cell: (r) =>
            leadLinks ? (
              <Link to={`/leads/${r.leadId}`}>
                {r.vertical} · {r.zip}
              </Link>
            ) : (
              `${r.vertical} · ${r.zip}`
            ),
        },
        ...(showBuyer ? [{ key: "buyer", header: "Buyer", cell: (r: Row) => r.buyer }] : []),
        ...(showSource ? [{ key: "source", header: "Source", cell: (r: Row) => r.source }] : []),
        {
          key: "reason",
          header: "Reason",
          cell: (r) => (
            <>
              {labelOf(RETURN_REASON_TEXT, r.reason)}
              {r.comment ? <span className="hint"> — “{r.comment}”</span> : null}
            </>
          ),
        },
        {
          key: "status",
          header: "Status",
          cell: (r) => (
            <span className={r.status === "APPROVED" ? "ok" : r.status === "DENIED" ? "danger" : "warn"}>
              {labelOf(RETURN_STATUS_TEXT, r.status)}
              {r.ruleDetail ? <span className="hint"> · {labelOf(RETURN_RULE_TEXT, r.rule)}</span> : null}
              {r.decisionNote ? <span className="hint"> · note: {r.decisionNote}</span> : null}
            </span>
          ),
        },
        {
          key: "credit",
          header: "Credit",
          numeric: true,
          cell: (r) => (r.creditedCents != null ? money(r.creditedCents) : "—"),
        },
      ]}
    />
  );
}
