import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";

export function ContractorHome() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  return (
    <section>
      <h1>Your leads and delivery settings</h1>
      <p>
        Signed in as {me.data?.name} for <strong>{me.data?.orgName}</strong>.
      </p>
    </section>
  );
}
