import { describe, expect, it } from "vitest";
import { buildPingBody, buildPostBody, type WireLead } from "./wire";

const wireLead: WireLead = {
  id: "lead-1",
  vertical: "roofing",
  zip: "10001",
  state: "NY",
  fields: { roofType: "shingle" },
  contact: { firstName: "Ada", phone: "+12125550100", email: "ada@example.com" },
  consent: { trustedFormCertUrl: "https://cert.trustedform.com/abc", jornayaLeadId: "" },
};

describe("wire bodies", () => {
  it("pings without any contact detail, and with only the consent evidence present", () => {
    const body = buildPingBody(wireLead, "ping-1");
    expect(body).toEqual({
      pingId: "ping-1",
      leadId: "lead-1",
      vertical: "roofing",
      zip: "10001",
      state: "NY",
      fields: { roofType: "shingle" },
      consent: { trustedFormCertUrl: "https://cert.trustedform.com/abc" },
    });
    expect(JSON.stringify(body)).not.toMatch(/Ada|5550100|example\.com/);
  });

  it("posts the full lead with the bid in cents", () => {
    expect(buildPostBody(wireLead, "ping-1", 1250)).toEqual({
      pingId: "ping-1",
      leadId: "lead-1",
      bidCents: 1250,
      lead: {
        id: "lead-1",
        vertical: "roofing",
        zip: "10001",
        state: "NY",
        fields: { roofType: "shingle" },
        contact: wireLead.contact,
        consent: wireLead.consent,
      },
    });
  });
});
