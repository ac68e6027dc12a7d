// What DJ notifications need from the server's settings (apps/server resolves them at start).

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** The sender: a number (+1901…) or a Messaging Service sid (MG…). */
  from: string;
  /** The Messages API's base URL (default https://api.twilio.com); tests point it at a local fake. */
  apiUrl?: string;
}

export interface VapidSettings {
  publicKey: string;
  privateKey: string;
  /** mailto: or https: contact the push services may use. */
  subject: string;
}

export interface NotifySettings {
  /** Key of the offer links' HMAC. */
  linkSecret: string;
  /** How long an offer link stays valid after it is sent. */
  linkTtlMinutes: number;
  /** Without it SMS is not offered (the setting says why). */
  twilio: TwilioSettings | null;
  vapid: VapidSettings;
}

/** Mutable so tests can retry within seconds: the wait after the 1st, 2nd, … failed attempt. */
export const notifyRetry = {
  delaysSeconds: [5, 15, 30, 60, 120, 300],
};
