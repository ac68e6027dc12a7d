import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";

export function SellerHome() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  return (
    <section>
      <h1>Your lead sources</h1>
      <p>
        Signed in as {me.data?.name} for <strong>{me.data?.orgName}</strong>.
      </p>
    </section>
  );
}
