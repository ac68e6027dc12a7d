// The shell's low-balance banner for a buyer org (docs/billing.md): small, so it stays in the
// first chunk; the billing page itself is lazy.
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { money } from "../pages/auction/format";
import { useTRPC } from "../trpc";

/** Shown while any of the org's buyers is under its low-balance threshold. */
export function LowBalanceBanner() {
  const trpc = useTRPC();
  const mine = useQuery(trpc.billing.mine.queryOptions());
  const low = mine.data?.filter((b) => b.low) ?? [];
  if (low.length === 0) return null;
  return (
    <p className="notice" role="status" data-testid="low-balance-banner">
      Low balance:{" "}
      {low
        .map((b) => `${b.name} has ${money(b.balanceCents)} (threshold ${money(b.lowBalanceThresholdCents)})`)
        .join("; ")}
      . Leads stop when the balance cannot cover them; ask your account manager to top up.{" "}
      <Link to="/billing">See billing</Link>
    </p>
  );
}
