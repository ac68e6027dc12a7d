// One small interface for every consent provider (TrustedForm, Jornaya LeadiD): LeadFlow hands it
// the lead's evidence and contact, it answers what the provider said. Base URLs and credentials are
// settings (apps/server's config: TRUSTEDFORM_*, JORNAYA_*), so a self-hoster plugs the real
// service in and the tests a local fake (fake-providers.ts). See docs/compliance.md.
import type { ComplianceRequirement, ConsentClaimStatus } from "@leadflow/engine";
import type { OutboundPolicy } from "../../outbound/guard";

export interface ClaimRequest {
  leadId: string;
  /** The certificate URL (TrustedForm) or LeadiD token (Jornaya) the seller sent. */
  evidence: string;
  /** Digits only, as stored (normalized); what the certificate's recorded phone must match. */
  phone: string | null;
  email: string | null;
  /** The buyer whose name the consent text should carry (one-to-one consent); null before a sale. */
  buyerName: string | null;
}

export interface ClaimOutcome {
  status: ConsentClaimStatus;
  /** The provider's own word: TrustedForm's outcome/reason, Jornaya's authentic/reason. */
  outcome: string | null;
  retainedUntil: Date | null;
  pageUrl: string | null;
  matched: boolean | null;
  namesBuyer: boolean | null;
  /** Why it is FAILED or ERROR, in words. */
  error: string | null;
  /** The answer as received (capped by the caller). */
  response: string | null;
}

export interface ConsentProvider {
  readonly requirement: ComplianceRequirement;
  /** Never throws: a timeout, a 5xx or a refused address is an ERROR outcome. */
  claim(req: ClaimRequest, outbound: OutboundPolicy | undefined): Promise<ClaimOutcome>;
}

export interface TrustedFormSettings {
  /** Where certificates are claimed (https://cert.trustedform.com); the cert id is appended. */
  apiUrl: string;
  apiKey: string;
  /** Sent as retain.vendor: who claims (the installation's name). */
  vendor: string;
}

export interface JornayaSettings {
  /** https://api.leadid.com; /Authenticate is appended. */
  apiUrl: string;
  /** The account code (lac). */
  accountCode: string;
  /** Sent as a Bearer token when the account has API authentication on. */
  apiToken: string | null;
}

export interface ConsentSettings {
  trustedForm: TrustedFormSettings | null;
  jornaya: JornayaSettings | null;
  /** How long one claim may take before it is recorded as an ERROR. */
  timeoutMs: number;
}

/** Shared by the providers: an ERROR outcome from a transport failure or a provider's 5xx. */
export function errorOutcome(error: string, response: string | null = null): ClaimOutcome {
  return {
    status: "ERROR",
    outcome: null,
    retainedUntil: null,
    pageUrl: null,
    matched: null,
    namesBuyer: null,
    error,
    response,
  };
}
