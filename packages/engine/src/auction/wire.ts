/**
 * The bodies sent to buyers, in one place so the server and buyer-sim cannot drift. A ping carries
 * no contact details: a network learns who the person is only once it has bought the lead.
 */
import type { LeadConsent } from "./types";

export interface PingBody {
  pingId: string;
  leadId: string;
  vertical: string;
  zip: string;
  state: string | null;
  fields: Record<string, unknown>;
  consent: LeadConsent;
}

export interface PostBody {
  pingId: string;
  leadId: string;
  bidCents: number;
  lead: Record<string, unknown>;
}

export interface WireLead {
  id: string;
  vertical: string;
  zip: string;
  state?: string | null;
  /** The seller's custom fields (never contact details: those live in contact). */
  fields?: Record<string, unknown>;
  contact: Record<string, unknown>;
  consent: LeadConsent;
}

export function buildPingBody(lead: WireLead, pingId: string): PingBody {
  const consent: LeadConsent = {};
  if (lead.consent.trustedFormCertUrl) consent.trustedFormCertUrl = lead.consent.trustedFormCertUrl;
  if (lead.consent.jornayaLeadId) consent.jornayaLeadId = lead.consent.jornayaLeadId;
  return {
    pingId,
    leadId: lead.id,
    vertical: lead.vertical,
    zip: lead.zip,
    state: lead.state ?? null,
    fields: { ...(lead.fields ?? {}) },
    consent,
  };
}

export function buildPostBody(lead: WireLead, pingId: string, bidCents: number): PostBody {
  return {
    pingId,
    leadId: lead.id,
    bidCents,
    lead: {
      id: lead.id,
      vertical: lead.vertical,
      zip: lead.zip,
      state: lead.state ?? null,
      fields: { ...(lead.fields ?? {}) },
      contact: { ...lead.contact },
      consent: { ...lead.consent },
    },
  };
}
