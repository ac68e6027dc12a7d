// POST /api/calls/webhook: the voice provider's call and recording callbacks (Twilio's format).
// Order of refusals: call tracking off (503), no signature (400), wrong signature (403), bad
// fields (400). Only a signed, valid request reaches logCallEvent, so refusals store nothing.
import {
  callEventFromForm,
  type CallSettings,
  logCallEvent,
  type Services,
  twimlFor,
  verifyTwilioSignature,
  webhookForm,
} from "@leadflow/api";
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";

export const CALL_WEBHOOK_PATH = "/api/calls/webhook";

function refuse(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: code, message, ...extra };
}

export function callsRoutes(services: Services, settings: CallSettings | null): FastifyPluginAsync {
  const base = services.publicUrl.replace(/\/+$/, "");
  return async (app) => {
    app.post("/webhook", async (req, reply) => {
      if (!settings?.authToken) {
        return reply
          .status(503)
          .send(
            refuse(
              "CALLS_NOT_CONFIGURED",
              "Call tracking is off on this server: set TWILIO_AUTH_TOKEN (the voice provider's auth token) and restart.",
            ),
          );
      }
      if (!(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
        return reply
          .status(415)
          .send(
            refuse(
              "UNSUPPORTED_MEDIA_TYPE",
              "Send the provider's form-encoded body (application/x-www-form-urlencoded).",
            ),
          );
      }
      const signature = req.headers["x-twilio-signature"];
      if (typeof signature !== "string" || signature.length === 0) {
        return reply
          .status(400)
          .send(
            refuse(
              "SIGNATURE_MISSING",
              "The X-Twilio-Signature header is missing; only the voice provider may call this URL.",
            ),
          );
      }
      // The provider signs the URL it was configured with: ours as the public sees it.
      const url = `${base}${req.url}`;
      const params = (req.body ?? {}) as Record<string, string>;
      if (!verifyTwilioSignature(settings.authToken, signature, url, params)) {
        req.log.warn({ url }, "call webhook with a bad signature refused");
        return reply
          .status(403)
          .send(
            refuse(
              "SIGNATURE_INVALID",
              `The signature does not match this request. Check the auth token and that the provider posts to ${base}${CALL_WEBHOOK_PATH}.`,
            ),
          );
      }
      const form = webhookForm.safeParse(params);
      if (!form.success) {
        const issues = z.flattenError(form.error);
        const first = form.error.issues[0];
        return reply
          .status(400)
          .send(
            refuse(
              "BAD_REQUEST",
              first ? `${first.path.join(".") || "body"}: ${first.message}` : "The form fields are not valid.",
              { issues },
            ),
          );
      }
      const outcome = await logCallEvent(services, settings, callEventFromForm(form.data));
      return reply.type("text/xml; charset=utf-8").send(twimlFor(outcome, `${base}${CALL_WEBHOOK_PATH}`));
    });
  };
}
