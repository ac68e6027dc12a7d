// SMTP_FROM and SMTP_REPLY_TO: a sender is required with SMTP_URL and must be an address
// (optionally with a name); the start refuses anything else with a message naming the setting.
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";

describe("email settings", () => {
  it("accepts a named or bare sender and a reply-to", () => {
    const c = loadConfig({
      SMTP_URL: "smtp://mail:587",
      SMTP_FROM: "LeadFlow <leads@example.com>",
      SMTP_REPLY_TO: "help@example.com",
    });
    expect(c).toMatchObject({
      SMTP_URL: "smtp://mail:587",
      SMTP_FROM: "LeadFlow <leads@example.com>",
      SMTP_REPLY_TO: "help@example.com",
    });
    expect(loadConfig({ SMTP_URL: "smtps://u:p@mail:465", SMTP_FROM: "leads@example.com" }).SMTP_FROM).toBe(
      "leads@example.com",
    );
  });

  it("needs no sender without SMTP_URL (the outbox keeps the emails)", () => {
    expect(loadConfig({ SMTP_URL: "", SMTP_FROM: "" })).toMatchObject({ SMTP_URL: undefined, SMTP_FROM: undefined });
  });

  it("refuses SMTP_URL without SMTP_FROM, a malformed sender or reply-to, and a URL that is not SMTP", () => {
    expect(() => loadConfig({ SMTP_URL: "smtp://mail:587" })).toThrow(/SMTP_FROM: SMTP_FROM is required with SMTP_URL/);
    expect(() => loadConfig({ SMTP_URL: "smtp://mail:587", SMTP_FROM: "LeadFlow" })).toThrow(
      /SMTP_FROM must be an email address/,
    );
    expect(() => loadConfig({ SMTP_URL: "smtp://mail:587", SMTP_FROM: "LeadFlow <leads@>" })).toThrow(
      /SMTP_FROM must be an email address/,
    );
    expect(() =>
      loadConfig({ SMTP_URL: "smtp://mail:587", SMTP_FROM: "leads@example.com", SMTP_REPLY_TO: "nope" }),
    ).toThrow(/SMTP_REPLY_TO must be an email address/);
    expect(() => loadConfig({ SMTP_URL: "http://mail", SMTP_FROM: "leads@example.com" })).toThrow(
      /SMTP_URL must be an smtp/,
    );
  });
});
