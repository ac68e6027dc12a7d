// Contact details in a couple's or DJ's message before the DJ unlocked the contact or the couple
// chose them: email addresses and phone numbers (also written out with "at"/"dot" or spaced
// digits) are replaced, so neither side can go around the unlock or the booking.

export const HIDDEN = "[contact details hidden until the DJ is booked or unlocks your contact]";

const EMAIL =
  /[A-Z0-9._%+-]+\s*(?:@|\(\s*at\s*\)|\[\s*at\s*\]|\s+at\s+)\s*[A-Z0-9-]+(?:\s*(?:\.|\(\s*dot\s*\)|\[\s*dot\s*\]|\s+dot\s+)\s*[A-Z0-9-]+)*\s*(?:\.|\(\s*dot\s*\)|\[\s*dot\s*\]|\s+dot\s+)\s*[A-Z]{2,24}\b/gi;
// Seven or more digits with the separators people type between them (+1 (901) 555-0100, 901.555.0100).
const PHONE = /\+?\d(?:[\s().-]{0,3}\d){6,}/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HANDLE = /\b(?:whats\s*app|wa\.me|telegram|t\.me|signal)\b\S*/gi;

export function redactContact(text: string): { text: string; redacted: boolean } {
  let redacted = false;
  const hide = () => {
    redacted = true;
    return HIDDEN;
  };
  const out = text
    .replace(EMAIL, hide)
    .replace(PHONE, (m) => (ISO_DATE.test(m.trim()) ? m : hide()))
    .replace(HANDLE, hide);
  return { text: out, redacted };
}
