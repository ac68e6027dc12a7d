// The admin's buyers: every network and contractor, paused or not, with an editor.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { DataTable } from "../../components/DataTable";
import { messageOf, useTRPC } from "../../trpc";
import { BuyerEditor } from "./BuyerEditor";
import { AdminBuyerTemplateEditor } from "./BuyerTemplateEditor";
import { money } from "./format";
import { LockedFieldsEditor } from "./LockedFieldsEditor";
import { VerticalsEditor } from "./VerticalsEditor";

export function BuyersAdminPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.buyers.list.queryOptions());
  const [editing, setEditing] = useState<string | "new" | null>(null);
  const toggle = useMutation(
    trpc.buyers.setActive.mutationOptions({ onSuccess: () => qc.invalidateQueries(trpc.buyers.pathFilter()) }),
  );
  const current = list.data?.find((b) => b.id === editing) ?? null;
  return (
    <section>
      <h1>Buyers</h1>
      <p>
        <button type="button" className="primary" onClick={() => setEditing("new")}>
          New buyer
        </button>{" "}
        <Link to="/buyers/transfer">Import / export</Link>
      </p>
      {editing ? (
        <BuyerEditor key={editing} buyer={editing === "new" ? null : current} onDone={() => setEditing(null)} />
      ) : null}
      {current?.type === "NETWORK" ? (
        <AdminBuyerTemplateEditor
          key={`template-${current.id}`}
          buyerId={current.id}
          buyerName={current.name}
          template={current.requestTemplate}
          hasAuthSecret={current.hasRequestAuthSecret}
        />
      ) : null}
      {current?.type === "NETWORK" ? (
        <LockedFieldsEditor key={`locks-${current.id}`} buyerId={current.id} locked={current.lockedFields} />
      ) : null}
      {toggle.error ? (
        <p className="error" role="alert">
          {messageOf(toggle.error)}
        </p>
      ) : null}
      {list.isPending ? (
        <p>Loading…</p>
      ) : list.isError ? (
        <p className="error" role="alert">
          {messageOf(list.error)}
        </p>
      ) : (
        <DataTable
          caption="Every buyer"
          rows={list.data}
          rowKey={(b) => b.id}
          empty="No buyers yet. Add one with New buyer."
          columns={[
            {
              key: "buyer",
              header: "Buyer",
              rowHeader: true,
              cell: (b) => (
                <>
                  {b.name}
                  <br />
                  <code className="hint">{b.key}</code>
                </>
              ),
            },
            { key: "type", header: "Type", cell: (b) => b.type },
            { key: "org", header: "Organisation", cell: (b) => b.orgName },
            {
              key: "terms",
              header: "Terms",
              cell: (b) =>
                b.type === "NETWORK"
                  ? `min ${money(b.minBidCents)} · ${b.pingTimeoutMs} ms`
                  : `${b.deliveryMode.toLowerCase()} · ${b.pricingModel.toLowerCase()} ${b.pricingModel === "FIXED" ? money(b.fixedLeadPriceCents) : money(b.maxBidCents)}`,
            },
            { key: "zips", header: "Zips", numeric: true, cell: (b) => b.serviceZips.length },
            {
              key: "status",
              header: "Status",
              cell: (b) => <span className={b.active ? "ok" : "warn"}>{b.active ? "active" : "paused"}</span>,
            },
            {
              key: "actions",
              header: null,
              actions: true,
              cell: (b) => (
                <>
                  <button type="button" onClick={() => setEditing(b.id)} aria-label={`Edit ${b.name}`}>
                    Edit
                  </button>
                  <button
                    type="button"
                    onClick={() => toggle.mutate({ id: b.id, active: !b.active })}
                    aria-label={`${b.active ? "Pause" : "Activate"} ${b.name}`}
                  >
                    {b.active ? "Pause" : "Activate"}
                  </button>
                </>
              ),
            },
          ]}
        />
      )}
      <VerticalsEditor />
    </section>
  );
}
