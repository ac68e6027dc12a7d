// The admin's buyers: every network and contractor, paused or not, with an editor.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DiscardQuestion, useUnsavedChanges } from "../../components/form";
import { Link } from "react-router";
import { DataTable } from "../../components/DataTable";
import { BUYER_TYPE_TEXT } from "../../labels";
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
  // Unsaved changes in the buyer editor or the verticals form: one warning before leaving the page
  // (the router keeps one blocker), and a question before the editor closes or opens another buyer.
  const [editorDirty, setEditorDirty] = useState(false);
  const [verticalsDirty, setVerticalsDirty] = useState(false);
  const leaveWarning = useUnsavedChanges(editorDirty || verticalsDirty);
  const [asking, setAsking] = useState<{ next: string | "new" | null } | null>(null);
  const open = (next: string | "new" | null) => {
    if (editorDirty && next !== editing) setAsking({ next });
    else setEditing(next);
  };
  const toggle = useMutation(
    trpc.buyers.setActive.mutationOptions({ onSuccess: () => qc.invalidateQueries(trpc.buyers.pathFilter()) }),
  );
  const current = list.data?.find((b) => b.id === editing) ?? null;
  return (
    <section>
      <h1>Buyers</h1>
      {leaveWarning}
      {asking ? (
        <DiscardQuestion
          onStay={() => setAsking(null)}
          onDiscard={() => {
            setEditing(asking.next);
            setAsking(null);
          }}
        />
      ) : null}
      <p>
        <button type="button" className="primary" onClick={() => open("new")}>
          New buyer
        </button>{" "}
        <Link to="/buyers/transfer">Import / export</Link>
      </p>
      {editing ? (
        <BuyerEditor
          key={editing}
          buyer={editing === "new" ? null : current}
          onDone={() => setEditing(null)}
          onCancel={() => open(null)}
          onDirty={setEditorDirty}
        />
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
            { key: "type", header: "Type", cell: (b) => BUYER_TYPE_TEXT[b.type] },
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
                  <button type="button" onClick={() => open(b.id)} aria-label={`Edit ${b.name}`}>
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
      <VerticalsEditor onDirty={setVerticalsDirty} />
    </section>
  );
}
