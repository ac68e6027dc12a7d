// The litigator check modelled on Blacklist Alliance's lookup API (the "standard" single lookup):
//   GET {apiUrl}/lookup/single/<10 digits>   X-API-Key: <key>
//   → 200 { "status": "success", "message": "Blacklisted" | "Good", "code": "<feeds, comma-separated>",
//           "code_level": 0-30, "phone": "…", "sid": "…", "wireless": 0 | 1 }
// "Blacklisted" is LISTED (code: the feeds it was found on: plaintiff, attorney, pre-litigation,
// "screamers"…), "Good" is CLEAR, and anything else (another status, a 4xx/5xx, no JSON, no answer
// in time) is ERROR: what an ERROR does is the vertical's choice (fail-closed by default).
import { cap, errorText, requestText } from "../../auction/http";
import type { OutboundPolicy } from "../../outbound/guard";
import { litigatorError, type LitigatorOutcome, type LitigatorProvider, type LitigatorSettings } from "./provider";

interface LookupAnswer {
  status?: string;
  message?: string;
  code?: string | null;
  code_level?: number | string | null;
  phone?: string;
}

export function blacklistAllianceProvider(settings: LitigatorSettings): LitigatorProvider {
  return {
    async check(phone: string, outbound: OutboundPolicy | undefined): Promise<LitigatorOutcome> {
      if (!/^\d{10}$/.test(phone)) return litigatorError("not a 10-digit North American number");
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
      try {
        const res = await requestText(
          outbound,
          "GET",
          `${settings.apiUrl.replace(/\/+$/, "")}/lookup/single/${phone}`,
          null,
          controller.signal,
          { accept: "application/json", "x-api-key": settings.apiKey },
        );
        const response = cap(res.text);
        if (res.status === 401 || res.status === 403)
          return litigatorError("the litigator list refused the API key", response);
        if (res.status >= 300 || res.tooLarge)
          return litigatorError(`the litigator list answered ${res.status}`, response);
        let a: LookupAnswer;
        try {
          a = JSON.parse(res.text) as LookupAnswer;
        } catch {
          return litigatorError("the litigator list answered without JSON", response);
        }
        if (a.status !== "success")
          return litigatorError(`the litigator list answered status ${String(a.status)}`, response);
        if (a.message === "Blacklisted") {
          const codes = typeof a.code === "string" && a.code.trim() ? a.code.trim().slice(0, 200) : null;
          return { status: "LISTED", codes, error: null, response };
        }
        if (a.message === "Good") return { status: "CLEAR", codes: null, error: null, response };
        return litigatorError(`the litigator list answered "${String(a.message).slice(0, 60)}"`, response);
      } catch (err) {
        return litigatorError(controller.signal.aborted ? `no answer within ${settings.timeoutMs} ms` : errorText(err));
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
