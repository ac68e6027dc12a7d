// Return requests as a table (returns.list): what was returned, why, and what came of it.
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { messageOf, useTRPC } from "../../trpc";
import { money, when } from "../auction/format";
import { labelOf, RETURN_REASON_TEXT, RETURN_RULE_TEXT, RETURN_STATUS_TEXT } from "../../labels";

export function ReturnsList({ caption, showBuyer = true, showSource = false, leadLinks = true }: { caption: string; showBuyer?: boolean; showSource?: boolean; leadLinks?: boolean }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.returns.list.queryOptions({ limit: 100 }));
  if (list.isPending) return <p>Loading…</p>;
  if (list.isError) return <p className="error" role="alert">{messageOf(list.error)}</p>;
  if (list.data.length === 0) return <p>No returns yet.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Asked</th>
            <th scope="col">Lead</th>
            {showBuyer ? <th scope="col">Buyer</th> : null}
            {showSource ? <th scope="col">Source</th> : null}
            <th scope="col">Reason</th>
            <th scope="col">Status</th>
            <th scope="col">Credit</th>
          </tr>
        </thead>
        <tbody>
          {list.data.map((r) => (
            <tr key={r.id} data-testid="return-row">
              <td>{when(r.createdAt)}</td>
              <td>{leadLinks ? <Link to={`/leads/${r.leadId}`}>{r.vertical} · {r.zip}</Link> : `${r.vertical} · ${r.zip}`}</td>
              {showBuyer ? <td>{r.buyer}</td> : null}
              {showSource ? <td>{r.source}</td> : null}
              <td>
                {labelOf(RETURN_REASON_TEXT, r.reason)}
                {r.comment ? <span className="hint"> — “{r.comment}”</span> : null}
              </td>
              <td className={r.status === "APPROVED" ? "ok" : r.status === "DENIED" ? "danger" : "warn"}>
                {labelOf(RETURN_STATUS_TEXT, r.status)}
                {r.ruleDetail ? <span className="hint"> · {labelOf(RETURN_RULE_TEXT, r.rule)}</span> : null}
                {r.decisionNote ? <span className="hint"> · note: {r.decisionNote}</span> : null}
              </td>
              <td>{r.creditedCents != null ? money(r.creditedCents) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
