// Credits: the balance, packs to buy, and every movement in the ledger.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { DataTable } from "../../components/DataTable";
import { dateTime } from "../../format/time";
import { messageOf, useTRPC } from "../../trpc";
import { usd } from "../../public/PublicRoutes";
import { labelOf, LEDGER_KIND_LABELS } from "../../labels";

export function DjCreditsPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const credits = useQuery(trpc.marketDj.credits.queryOptions());
  const buy = useMutation(
    trpc.marketDj.buyCredits.mutationOptions({ onSuccess: () => qc.invalidateQueries(trpc.marketDj.pathFilter()) }),
  );
  if (credits.isPending) return <p>Loading…</p>;
  if (credits.isError)
    return (
      <p className="error" role="alert">
        {messageOf(credits.error)}
      </p>
    );
  return (
    <section>
      <h1>Credits</h1>
      <p>
        Balance: <strong>{credits.data.balance} credits</strong>. Unlocking a customer's contact costs 1 credit, once
        per lead.
      </p>
      <h2>Buy credits</h2>
      <p className="hint">Payments go through the test provider in this installation.</p>
      <div className="actions">
        {credits.data.packs.map((p) => (
          <button
            key={p.id}
            type="button"
            disabled={buy.isPending}
            onClick={() => buy.mutate({ packId: p.id, paymentToken: "tok_test" })}
          >
            {p.credits} credits for {usd(p.priceCents)}
          </button>
        ))}
      </div>
      {buy.error ? (
        <p className="error" role="alert">
          {messageOf(buy.error)}
        </p>
      ) : null}
      <h2>History</h2>
      <DataTable
        caption="Credit history"
        rows={credits.data.ledger}
        rowKey={(l) => l.id}
        empty="No credit movements yet."
        columns={[
          { key: "when", header: "When", cell: (l) => dateTime(l.createdAt) },
          { key: "what", header: "What", cell: (l) => labelOf(LEDGER_KIND_LABELS, l.kind) },
          {
            key: "credits",
            header: "Credits",
            numeric: true,
            cell: (l) => (l.credits > 0 ? `+${l.credits}` : l.credits),
          },
          { key: "balance", header: "Balance", numeric: true, cell: (l) => l.balanceAfter },
        ]}
      />
    </section>
  );
}
