import { useQuery } from "@tanstack/react-query";
import { messageOf, useTRPC } from "../trpc";

export function AdminHome() {
  const trpc = useTRPC();
  const orgs = useQuery(trpc.admin.orgs.queryOptions());
  return (
    <section>
      <h1>Platform overview</h1>
      <h2>Organisations</h2>
      {orgs.isPending ? (
        <p>Loading…</p>
      ) : orgs.isError ? (
        <p className="error" role="alert">
          {messageOf(orgs.error)}
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Users</th>
            </tr>
          </thead>
          <tbody>
            {orgs.data.map((o) => (
              <tr key={o.id}>
                <td>{o.name}</td>
                <td>{o.kind}</td>
                <td>{o.users}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
