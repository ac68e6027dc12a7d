/** The voice provider's auth token the e2e server is given and tests/calls.spec.ts signs with. */
export const E2E_TWILIO_AUTH_TOKEN = "e2e-twilio-auth-token-0123456789";
