// Claims a lead's consent evidence through its providers and keeps the answer: load what was
// claimed already → ask each provider once → write the claim and a `consent_claim` timeline event
// (the compliance receipt). A provider that fails (timeout, 5xx, refused address) is recorded as
// ERROR and never throws into the sale path. When: docs/compliance.md ("Consent evidence").
import { insertConsentClaim, insertLeadEvent, listConsentClaims, type ConsentClaimRow } from "@leadflow/db";
import type { ComplianceRequirement, ConsentClaimVerdict, LeadConsent } from "@leadflow/engine";
import type { Services } from "../../context";
import { jornayaProvider } from "./jornaya";
import type { ConsentProvider, ConsentSettings } from "./provider";
import { trustedFormProvider } from "./trustedform";

export type ClaimStage = "BEFORE_AUCTION" | "AT_SALE";

/** The providers the settings configure, by requirement. */
export function consentProviders(settings: ConsentSettings | undefined): Map<ComplianceRequirement, ConsentProvider> {
  const out = new Map<ComplianceRequirement, ConsentProvider>();
  if (!settings) return out;
  if (settings.trustedForm) out.set("TRUSTED_FORM", trustedFormProvider(settings.trustedForm, settings.timeoutMs));
  if (settings.jornaya) out.set("JORNAYA", jornayaProvider(settings.jornaya, settings.timeoutMs));
  return out;
}

/** Whether the settings configure a provider for `r` (without building it). */
export function hasConsentProvider(settings: ConsentSettings | undefined, r: ComplianceRequirement): boolean {
  return r === "TRUSTED_FORM" ? Boolean(settings?.trustedForm) : r === "JORNAYA" ? Boolean(settings?.jornaya) : false;
}

export interface ClaimLead {
  id: string;
  consent: LeadConsent;
  phoneNormalized: string | null;
  emailNormalized: string | null;
}

export type ClaimVerdicts = Partial<Record<ComplianceRequirement, ConsentClaimVerdict>>;

const evidenceOf = (consent: LeadConsent, r: ComplianceRequirement): string | null =>
  (r === "TRUSTED_FORM" ? consent.trustedFormCertUrl : consent.jornayaLeadId)?.trim() || null;

export const verdictOf = (row: Pick<ConsentClaimRow, "status" | "matched">): ConsentClaimVerdict => ({
  status: row.status,
  matched: row.matched,
});

/**
 * Claims each of `requirements` the lead carries and that was not claimed before (a lead is
 * claimed once per provider). A requirement without a configured provider is left unclaimed.
 * Returns every claim the lead now has, by requirement.
 */
export async function claimConsent(
  s: Services,
  lead: ClaimLead,
  requirements: readonly ComplianceRequirement[],
  stage: ClaimStage,
  buyerName: string | null = null,
): Promise<ClaimVerdicts> {
  const providers = consentProviders(s.consent);
  const existing = await listConsentClaims(s.db, lead.id);
  const out: ClaimVerdicts = {};
  for (const row of existing) out[row.provider] = verdictOf(row);
  const todo = requirements.filter((r) => !out[r] && providers.has(r) && evidenceOf(lead.consent, r));
  await Promise.all(
    todo.map(async (r) => {
      const evidence = evidenceOf(lead.consent, r)!;
      const res = await providers
        .get(r)!
        .claim(
          { leadId: lead.id, evidence, phone: lead.phoneNormalized, email: lead.emailNormalized, buyerName },
          s.outbound,
        );
      const at = s.clock.now();
      const { row, inserted } = await insertConsentClaim(s.db, {
        leadId: lead.id,
        provider: r,
        stage,
        status: res.status,
        evidence,
        outcome: res.outcome,
        retainedUntil: res.retainedUntil,
        pageUrl: res.pageUrl,
        matched: res.matched,
        namesBuyer: res.namesBuyer,
        error: res.error,
        response: res.response,
        claimedAt: at,
      });
      out[r] = verdictOf(row);
      if (!inserted) return; // another run claimed it first and wrote its receipt
      if (res.status === "ERROR")
        s.log.warn({ leadId: lead.id, provider: r, error: res.error }, "consent claim failed");
      await insertLeadEvent(s.db, {
        leadId: lead.id,
        at,
        kind: "consent_claim",
        data: {
          provider: r,
          stage,
          status: res.status,
          outcome: res.outcome,
          retainedUntil: res.retainedUntil?.toISOString() ?? null,
          pageUrl: res.pageUrl,
          matched: res.matched,
          namesBuyer: res.namesBuyer,
          buyerName,
          error: res.error,
        },
      });
    }),
  );
  return out;
}

/** The lead's consent as the engine decides on it: the evidence and what its claims said. */
export function consentWithClaims(consent: LeadConsent, claims: ClaimVerdicts): LeadConsent {
  return { ...consent, trustedFormClaim: claims.TRUSTED_FORM ?? null, jornayaClaim: claims.JORNAYA ?? null };
}
