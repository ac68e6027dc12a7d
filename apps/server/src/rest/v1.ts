// The REST API for lead sellers and machine clients (/api/v1). Each domain adds a plugin here.
import type { Services } from "@leadflow/api";
import type { FastifyPluginAsync } from "fastify";
import { requireApiKey } from "./api-key";
import { leadsRoutes } from "./leads";
import { pingPostRoutes } from "./ping-post";
import { returnsRoutes } from "./returns";

export function restV1(services: Services): FastifyPluginAsync {
  return async (app) => {
    /** Who am I: lets a seller check its key works before sending leads. */
    app.get("/me", { preHandler: requireApiKey(services) }, async (req) => ({
      orgId: req.caller!.orgId,
      orgKind: req.caller!.orgKind,
    }));
    await app.register(leadsRoutes(services));
    await app.register(returnsRoutes(services));
    await app.register(pingPostRoutes(services));
  };
}
