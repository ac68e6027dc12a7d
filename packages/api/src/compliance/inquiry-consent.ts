// The public DJ inquiry form's own consent record (docs/compliance.md, "The DJ inquiry form"):
// the version of the text shown and what was ticked come from the form; the text itself, its
// SHA-256, the time, the address and the browser are the server's.
import { insertInquiryConsent } from "@leadflow/db";
import { INQUIRY_CONSENT_TEXTS, INQUIRY_CONSENT_VERSIONS } from "@leadflow/engine";
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Context } from "../context";

export const inquiryConsentInput = z.strictObject({
  version: z.enum(INQUIRY_CONSENT_VERSIONS, "That consent text is not one this site shows; reload the page."),
  /** Each box of that version and whether it was ticked. */
  ticked: z.strictObject({
    contact: z.boolean().refine((v) => v, "Tick the box so the DJs may contact you about your event."),
  }),
  pageUrl: z.url("The page address is not valid.").max(500),
});
export type InquiryConsentInput = z.output<typeof inquiryConsentInput>;

/** The words a version shows, as one text (boxes in order, each on its own line). */
export function inquiryConsentText(version: keyof typeof INQUIRY_CONSENT_TEXTS): string {
  return Object.entries(INQUIRY_CONSENT_TEXTS[version])
    .map(([box, words]) => `[${box}] ${words}`)
    .join("\n");
}

export async function recordInquiryConsent(
  ctx: Pick<Context, "db" | "clock" | "ip" | "userAgent">,
  marketLeadId: string,
  c: InquiryConsentInput,
) {
  const text = inquiryConsentText(c.version);
  return insertInquiryConsent(ctx.db, {
    marketLeadId,
    textVersion: c.version,
    textSha256: createHash("sha256").update(text).digest("hex"),
    text,
    ticked: c.ticked,
    ip: ctx.ip ?? null,
    userAgent: ctx.userAgent ?? null,
    pageUrl: c.pageUrl,
    at: ctx.clock.now(),
  });
}
