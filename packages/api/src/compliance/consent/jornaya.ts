// Jornaya (LeadiD) Authenticate: GET {apiUrl}/Authenticate?lac=<account code>&id=<token>, with a
// Bearer token when the account has API authentication on. Every answer is HTTP 200 with
//   { "audit": { "authentic": 1 | 0, "reason"?: 1-4, "token": "…" }, "transid": "…" }
// so a 200 is read for `authentic`, never trusted on its status alone. Authenticate says nothing
// of a phone/email match nor a retention date: those stay null.
import { cap, errorText, requestText } from "../../auction/http";
import type { OutboundPolicy } from "../../outbound/guard";
import {
  errorOutcome,
  type ClaimOutcome,
  type ClaimRequest,
  type ConsentProvider,
  type JornayaSettings,
} from "./provider";

/** The provider's documented reasons for authentic = 0. */
const REASONS: Record<number, string> = {
  1: "token not found",
  2: "query limit reached",
  3: "token expired",
  4: "token not valid for this account",
};

interface AuthenticateAnswer {
  audit?: { authentic?: number | string; reason?: number | string; token?: string };
  transid?: string;
}

export function jornayaProvider(settings: JornayaSettings, timeoutMs: number): ConsentProvider {
  return {
    requirement: "JORNAYA",
    async claim(req: ClaimRequest, outbound: OutboundPolicy | undefined): Promise<ClaimOutcome> {
      const url = new URL(`${settings.apiUrl.replace(/\/+$/, "")}/Authenticate`);
      url.searchParams.set("lac", settings.accountCode);
      url.searchParams.set("id", req.evidence);
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const res = await requestText(outbound, "GET", url.toString(), null, controller.signal, {
          accept: "application/json",
          ...(settings.apiToken ? { authorization: `Bearer ${settings.apiToken}` } : {}),
        });
        const response = cap(res.text);
        if (res.status >= 300 || res.tooLarge) return errorOutcome(`Jornaya answered ${res.status}`, response);
        let a: AuthenticateAnswer;
        try {
          a = JSON.parse(res.text) as AuthenticateAnswer;
        } catch {
          return errorOutcome("Jornaya answered without JSON", response);
        }
        const authentic = Number(a.audit?.authentic);
        if (authentic === 1) {
          return {
            status: "CLAIMED",
            outcome: "authentic",
            retainedUntil: null,
            pageUrl: null,
            matched: null,
            namesBuyer: null,
            error: null,
            response,
          };
        }
        if (authentic !== 0) return errorOutcome("Jornaya's answer has no audit.authentic", response);
        const reason = Number(a.audit?.reason);
        const words = REASONS[reason] ?? `reason ${String(a.audit?.reason ?? "not given")}`;
        return {
          status: "FAILED",
          outcome: `not authentic: ${words}`,
          retainedUntil: null,
          pageUrl: null,
          matched: null,
          namesBuyer: null,
          error: words,
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
