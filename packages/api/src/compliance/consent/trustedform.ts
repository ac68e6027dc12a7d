// TrustedForm's certificate API (v4): one POST to the certificate's URL on the provider's own host,
// basic auth with the user "API" and the account's key, running the operations asked for:
//   match_lead: { email, phone }                 → match_lead.result.{ success, email_match, phone_match }
//   retain:     { reference, vendor }            → retain.results.{ expires_at, masked_cert_url, previously_retained }
//   verify:     { advertiser_name }              → verify.result.{ success, one_to_one }
//   insights:   { properties: ["page_url"] }     → insights.properties.page_url
// and the overall `outcome` ("success" | "failure", with `reason`), on which the provider says a
// purchase decision should rest. Only the certificate id is taken from the seller's URL: the
// request always goes to the configured host, so the account key is never sent where a seller
// pointed it.
import { cap, errorText, requestText } from "../../auction/http";
import type { OutboundPolicy } from "../../outbound/guard";
import {
  errorOutcome,
  type ClaimOutcome,
  type ClaimRequest,
  type ConsentProvider,
  type TrustedFormSettings,
} from "./provider";

const CERT_ID = /^[A-Za-z0-9_-]{1,255}$/;

/** The certificate id of a TrustedForm URL (its last path segment), or null when it has none. */
export function trustedFormCertId(certUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(certUrl);
  } catch {
    return null;
  }
  const id = url.pathname.split("/").filter(Boolean).pop() ?? "";
  return CERT_ID.test(id) ? id : null;
}

interface V4Answer {
  outcome?: string;
  reason?: string;
  match_lead?: { result?: { success?: boolean; email_match?: boolean | null; phone_match?: boolean | null } };
  retain?: { results?: { expires_at?: string | null; masked_cert_url?: string | null } };
  verify?: { result?: { success?: boolean; one_to_one?: boolean | null } };
  insights?: { properties?: { page_url?: string | null } };
}

export function trustedFormProvider(settings: TrustedFormSettings, timeoutMs: number): ConsentProvider {
  return {
    requirement: "TRUSTED_FORM",
    async claim(req: ClaimRequest, outbound: OutboundPolicy | undefined): Promise<ClaimOutcome> {
      const id = trustedFormCertId(req.evidence);
      if (!id) {
        return { ...errorOutcome("not a TrustedForm certificate URL"), status: "FAILED", outcome: "invalid_cert_url" };
      }
      const body = {
        match_lead: { ...(req.email ? { email: req.email } : {}), ...(req.phone ? { phone: req.phone } : {}) },
        retain: { reference: req.leadId, vendor: settings.vendor },
        ...(req.buyerName ? { verify: { advertiser_name: req.buyerName } } : {}),
        insights: { properties: ["page_url"] },
      };
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const res = await requestText(
          outbound,
          "POST",
          `${settings.apiUrl.replace(/\/+$/, "")}/${id}`,
          JSON.stringify(body),
          controller.signal,
          {
            "content-type": "application/json",
            accept: "application/json",
            "api-version": "4.0",
            authorization: `Basic ${Buffer.from(`API:${settings.apiKey}`).toString("base64")}`,
          },
        );
        const response = cap(res.text);
        if (res.status >= 500 || res.tooLarge) return errorOutcome(`TrustedForm answered ${res.status}`, response);
        let a: V4Answer;
        try {
          a = JSON.parse(res.text) as V4Answer;
        } catch {
          return errorOutcome(`TrustedForm answered ${res.status} without JSON`, response);
        }
        if (res.status === 401 || res.status === 403) return errorOutcome("TrustedForm refused the API key", response);
        const match = a.match_lead?.result;
        const matched =
          match?.success ?? (match ? match.email_match !== false && match.phone_match !== false : null) ?? null;
        const expires = a.retain?.results?.expires_at;
        const ok = res.status < 300 && a.outcome === "success";
        return {
          status: ok ? "CLAIMED" : "FAILED",
          outcome: a.outcome ? (a.reason ? `${a.outcome}: ${a.reason}` : a.outcome) : `HTTP ${res.status}`,
          retainedUntil: ok && expires ? new Date(expires) : null,
          pageUrl: a.insights?.properties?.page_url ?? null,
          matched,
          namesBuyer: a.verify?.result ? (a.verify.result.one_to_one ?? a.verify.result.success ?? null) : null,
          error: ok ? null : (a.reason ?? `TrustedForm answered ${res.status}`),
          response,
        };
      } catch (err) {
        return errorOutcome(controller.signal.aborted ? `no answer within ${timeoutMs} ms` : errorText(err));
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
