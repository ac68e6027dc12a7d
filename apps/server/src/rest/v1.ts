// The REST API for lead sellers and machine clients (/api/v1). Each domain adds a plugin here, and
// each route its operation in openapi.ts (openapi.test.ts fails for a route the document lacks).
import { apiCallerAnswerSchema, type Services } from "@leadflow/api";
import type { FastifyPluginAsync } from "fastify";
import { answer } from "./answer";
import { requireApiKey } from "./api-key";
import { leadsRoutes } from "./leads";
import { buildOpenApiDocument, type OpenApiDocument } from "./openapi";
import { pingPostRoutes } from "./ping-post";
import { renderReferencePage } from "./reference-page";
import { returnsRoutes } from "./returns";

/** `auction`: the services the sellers' leads, pings and posts run with (the auction's pool). */
export function restV1(services: Services, auction: Services = services): FastifyPluginAsync {
  return async (app) => {
    /** Who am I: lets a seller check its key works before sending leads. */
    app.get("/me", { preHandler: requireApiKey(services) }, async (req) =>
      answer(apiCallerAnswerSchema, { orgId: req.caller!.orgId, orgKind: req.caller!.orgKind }),
    );
    await app.register(leadsRoutes(auction));
    await app.register(returnsRoutes(services));
    await app.register(pingPostRoutes(auction));

    // The contract, public (it holds no data): built once, on first asking.
    let doc: { json: string; html: string } | null = null;
    const contract = () => {
      if (!doc) {
        const d: OpenApiDocument = buildOpenApiDocument(services.publicUrl);
        doc = { json: JSON.stringify(d), html: renderReferencePage(d) };
      }
      return doc;
    };
    app.get("/openapi.json", async (_req, reply) =>
      reply.type("application/json; charset=utf-8").header("cache-control", "no-cache").send(contract().json),
    );
    app.get("/docs", async (_req, reply) =>
      reply
        .type("text/html; charset=utf-8")
        .header("cache-control", "no-cache")
        // The page is HTML and one inline stylesheet: no script, nothing from elsewhere.
        .header(
          "content-security-policy",
          "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        )
        .send(contract().html),
    );
  };
}
