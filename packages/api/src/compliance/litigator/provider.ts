// A litigator list (docs/compliance.md): a phone in, "is this a known TCPA litigator or serial
// complainer" out. It sits behind one small interface, as the consent providers do
// (../consent/provider.ts): base URL and key are settings (apps/server's LITIGATOR_*), so a
// self-hoster plugs the real service in and the tests a local fake (fake-litigator.ts).
import type { OutboundPolicy } from "../../outbound/guard";

/** LISTED: on the list; CLEAR: checked, not on it; ERROR: could not be checked (timeout, 5xx, bad key). */
export type LitigatorStatus = "LISTED" | "CLEAR" | "ERROR";

export interface LitigatorOutcome {
  status: LitigatorStatus;
  /** The list's own words for why (its feed codes: "plaintiff-primary,attorney-primary"); LISTED only. */
  codes: string | null;
  /** Why it is ERROR, in words. */
  error: string | null;
  /** The answer as received (capped). */
  response: string | null;
}

export interface LitigatorProvider {
  /** `phone`: the lead's 10 digits (a North American number). Never throws: a failure is ERROR. */
  check(phone: string, outbound: OutboundPolicy | undefined): Promise<LitigatorOutcome>;
}

export interface LitigatorSettings {
  /** The lookup API's base URL; /lookup/single/<phone> is appended. */
  apiUrl: string;
  /** Sent as the X-API-Key header, never in the URL (URLs end up in logs). */
  apiKey: string;
  /** How long one check may take before it is ERROR (the auction waits for it). */
  timeoutMs: number;
}

export function litigatorError(error: string, response: string | null = null): LitigatorOutcome {
  return { status: "ERROR", codes: null, error, response };
}
