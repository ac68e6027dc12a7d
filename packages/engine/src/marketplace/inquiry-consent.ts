/**
 * The consent texts the public DJ inquiry form shows, by version. A text is never edited: a new
 * wording is a new version, so each stored record (inquiry_consents) keeps the words the person
 * saw. The form sends the version; the server stores the text and its SHA-256 from here.
 */
export const INQUIRY_CONSENT_TEXTS = {
  "2026-12-01": {
    contact:
      "I agree that up to five DJs LeadFlow matches to my event, and LeadFlow itself, may contact me about this " +
      "inquiry by phone call, text message or email at the number and address I gave, including by automated " +
      "means. Consent is not a condition of any purchase; I can withdraw it at any time by replying STOP or " +
      "asking LeadFlow.",
  },
} as const;

export type InquiryConsentVersion = keyof typeof INQUIRY_CONSENT_TEXTS;
export const INQUIRY_CONSENT_VERSIONS = Object.keys(INQUIRY_CONSENT_TEXTS) as [
  InquiryConsentVersion,
  ...InquiryConsentVersion[],
];
/** The version the form shows now. */
export const CURRENT_INQUIRY_CONSENT: InquiryConsentVersion = "2026-12-01";
