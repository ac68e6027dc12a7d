import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";

export function DjHome() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  return (
    <section>
      <h1>Your lead inbox</h1>
      <p>
        Signed in as {me.data?.name} for <strong>{me.data?.orgName}</strong>.
      </p>
    </section>
  );
}
