// The admin's buyers: every network and contractor, paused or not, with an editor.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { messageOf, useTRPC } from "../../trpc";
import { BuyerEditor } from "./BuyerEditor";
import { money } from "./format";
import { VerticalsEditor } from "./VerticalsEditor";

export function BuyersAdminPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.buyers.list.queryOptions());
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const toggle = useMutation(trpc.buyers.setActive.mutationOptions({ onSuccess: () => qc.invalidateQueries(trpc.buyers.pathFilter()) }));
  const current = list.data?.find((b) => b.id === editing) ?? null;
  return (
    <section>
      <h1>Buyers</h1>
      <p>
        <button type="button" className="primary" onClick={() => setEditing("new")}>New buyer</button> <Link to="/buyers/transfer">Import / export</Link>
      </p>
      {editing ? <BuyerEditor key={editing} buyer={editing === "new" ? null : current} onDone={() => setEditing(null)} /> : null}
      {toggle.error ? <p className="error" role="alert">{messageOf(toggle.error)}</p> : null}
      {list.isPending ? <p>Loading…</p> : list.isError ? <p className="error" role="alert">{messageOf(list.error)}</p> : (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Every buyer</caption>
            <thead>
              <tr>
                <th scope="col">Buyer</th>
                <th scope="col">Type</th>
                <th scope="col">Organisation</th>
                <th scope="col">Terms</th>
                <th scope="col">Zips</th>
                <th scope="col">Status</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((b) => (
                <tr key={b.id}>
                  <td>{b.name}<br /><code className="hint">{b.key}</code></td>
                  <td>{b.type}</td>
                  <td>{b.orgName}</td>
                  <td>
                    {b.type === "NETWORK"
                      ? `min ${money(b.minBidCents)} · ${b.pingTimeoutMs} ms`
                      : `${b.deliveryMode.toLowerCase()} · ${b.pricingModel.toLowerCase()} ${b.pricingModel === "FIXED" ? money(b.fixedLeadPriceCents) : money(b.maxBidCents)}`}
                  </td>
                  <td>{b.serviceZips.length}</td>
                  <td className={b.active ? "ok" : "warn"}>{b.active ? "active" : "paused"}</td>
                  <td className="row-actions">
                    <button type="button" onClick={() => setEditing(b.id)} aria-label={`Edit ${b.name}`}>Edit</button>
                    <button type="button" onClick={() => toggle.mutate({ id: b.id, active: !b.active })} aria-label={`${b.active ? "Pause" : "Activate"} ${b.name}`}>
                      {b.active ? "Pause" : "Activate"}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <VerticalsEditor />
    </section>
  );
}
