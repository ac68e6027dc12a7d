import { authenticateApiKey, AppError, type ApiCaller, type Services } from "@leadflow/api";
import type { FastifyRequest } from "fastify";

declare module "fastify" {
  interface FastifyRequest {
    caller?: ApiCaller;
  }
}

/** Reads `Authorization: Bearer <key>` or `X-API-Key`, and refuses the request without a valid key. */
export function requireApiKey(services: Services) {
  return async (req: FastifyRequest) => {
    const auth = req.headers.authorization;
    const header = req.headers["x-api-key"];
    const key = auth?.startsWith("Bearer ")
      ? auth.slice(7).trim()
      : typeof header === "string"
        ? header.trim()
        : undefined;
    if (!key) throw new AppError("UNAUTHORIZED", "Send your API key as 'Authorization: Bearer <key>'.");
    const caller = await authenticateApiKey(services.db, services.clock, key);
    if (!caller)
      throw new AppError(
        "UNAUTHORIZED",
        "That API key is not valid or was revoked. Create a new one in the dashboard.",
      );
    req.caller = caller;
  };
}
