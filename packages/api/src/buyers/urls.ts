// The URLs a buyer's settings send leads to, checked by the outbound guard when they are saved
// (admin editor, contractor settings, import): a private address or a name that does not resolve
// is a field error on that URL and nothing is saved. The same guard checks again at connect time.
import { checkOutboundUrls, type OutboundPolicy } from "../outbound/guard";
import type { Problem } from "./schemas";

const FIELDS = [
  ["pingUrl", "The ping URL"],
  ["postUrl", "The post URL"],
  ["webhookUrl", "The webhook URL"],
] as const;

type WithUrls = { pingUrl?: string | null; postUrl?: string | null; webhookUrl?: string | null };

/** Problems with every URL in these settings, on paths under `prefix` (each settings value its own). */
export async function outboundUrlProblems(
  items: readonly { prefix: (string | number)[]; value: WithUrls }[],
  policy: OutboundPolicy,
): Promise<Problem[]> {
  const checks = items.flatMap(({ prefix, value }) =>
    FIELDS.flatMap(([field, what]) => {
      const url = value[field];
      return typeof url === "string" && url ? [{ key: [...prefix, field], url, what }] : [];
    }),
  );
  if (checks.length === 0) return [];
  return (await checkOutboundUrls(checks, policy)).map((p) => ({ path: p.key, message: p.message }));
}
