// recharts is large; only admins opening the chart should download it.
import { lazy, Suspense } from "react";

const Page = lazy(() => import("./LostReasonsPage").then((m) => ({ default: m.LostReasonsPage })));

export function LostReasonsRoute() {
  return (
    <Suspense fallback={<p>Loading…</p>}>
      <Page />
    </Suspense>
  );
}
