// The litigator screen (docs/compliance.md): where the lead's vertical applies it, the lead's phone
// is looked up on the litigator list before any buyer is asked. A listed person is refused to
// every buyer (SUPPRESSED, "on the litigator list …"). A check that cannot be completed (no
// answer within LITIGATOR_TIMEOUT_MS, a 5xx, a refused key, no provider configured) refuses the
// lead too, unless the vertical chose to fail open: a lead nobody could check is the one a
// litigator would sue over, so fail-closed is the default. Every check is on the lead's timeline.
import { performance } from "node:perf_hooks";
import type { Services } from "../../context";
import { blacklistAllianceProvider } from "./blacklist-alliance";
import type { LitigatorOutcome, LitigatorProvider, LitigatorSettings } from "./provider";

export const LITIGATOR_DETAIL = "on the litigator list (a known TCPA litigator or serial complainer)";
export const LITIGATOR_UNCHECKED_DETAIL =
  "the litigator check could not be completed; the vertical refuses unchecked leads";

const providers = new WeakMap<LitigatorSettings, LitigatorProvider>();

/** The configured provider, or null when LITIGATOR_URL/LITIGATOR_KEY are not set. */
export function litigatorProvider(settings: LitigatorSettings | null | undefined): LitigatorProvider | null {
  if (!settings) return null;
  let p = providers.get(settings);
  if (!p) providers.set(settings, (p = blacklistAllianceProvider(settings)));
  return p;
}

export interface LitigatorCheck {
  /** The detail everyone is refused with, or null: the lead may go on. */
  refuse: string | null;
  /** The timeline event's data (kind `litigator_check`). */
  event: Record<string, unknown>;
}

/**
 * Checks the lead's phone. A lead without a North American number (`phoneNormalized` is its 10
 * digits) is not on any litigator list and nobody will call it: recorded as not checked, not refused.
 */
export async function checkLitigator(
  s: Pick<Services, "litigator" | "outbound" | "log">,
  lead: { id: string; phoneNormalized: string | null },
  failOpen: boolean,
): Promise<LitigatorCheck> {
  const phone = lead.phoneNormalized && /^\d{10}$/.test(lead.phoneNormalized) ? lead.phoneNormalized : null;
  if (!phone) {
    return { refuse: null, event: { status: "NOT_CHECKED", error: "the lead has no North American phone number" } };
  }
  const provider = litigatorProvider(s.litigator);
  const started = performance.now();
  const out: LitigatorOutcome = provider
    ? await provider.check(phone, s.outbound)
    : {
        status: "ERROR",
        codes: null,
        error: "no litigator list is configured (LITIGATOR_URL, LITIGATOR_KEY)",
        response: null,
      };
  const ms = Math.round(performance.now() - started);
  const base = { status: out.status, codes: out.codes, error: out.error, ms, failOpen };
  if (out.status === "LISTED") {
    return {
      refuse: out.codes ? `${LITIGATOR_DETAIL}: ${out.codes}` : LITIGATOR_DETAIL,
      event: { ...base, refused: true },
    };
  }
  if (out.status === "CLEAR") return { refuse: null, event: { ...base, refused: false } };
  s.log.warn({ leadId: lead.id, error: out.error, failOpen }, "litigator check failed");
  return {
    refuse: failOpen ? null : `${LITIGATOR_UNCHECKED_DETAIL} (${out.error ?? "no answer"})`,
    event: { ...base, refused: !failOpen },
  };
}
