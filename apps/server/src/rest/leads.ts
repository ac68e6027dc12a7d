// POST /api/v1/leads and GET /api/v1/leads/:id for sellers (docs/api.md). The body is validated
// by the same intake schema as the dashboard; a bad body is a 400 with field errors and nothing
// is written. Without `wait` the auction runs as a job and the answer is 201 at once.
import {
  AppError,
  getLeadView,
  leadViewSchema,
  submitLead,
  submittedLeadSchema,
  type Services,
  type Viewer,
} from "@leadflow/api";
import type { OrgKind } from "@leadflow/engine";
import type { FastifyPluginAsync } from "fastify";
import { answer } from "./answer";
import { requireApiKey } from "./api-key";
import { leadIdParams, waitQuery } from "./params";

const ROLE_OF_KIND: Record<OrgKind, Viewer["role"]> = {
  platform: "admin",
  seller: "seller",
  network: "network",
  contractor: "contractor",
  dj: "dj",
};

export function leadsRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const auth = { preHandler: requireApiKey(services) };

    app.post("/leads", auth, async (req, reply) => {
      const caller = req.caller!;
      if (caller.orgKind !== "seller" && caller.orgKind !== "platform") {
        throw new AppError("FORBIDDEN", "Only a lead seller's API key can submit leads.");
      }
      const q = waitQuery.safeParse(req.query);
      if (!q.success)
        throw new AppError("BAD_REQUEST", "wait must be 1, 0, true or false.", {
          wait: ["must be 1, 0, true or false"],
        });
      const wait = q.data.wait === undefined ? undefined : q.data.wait === "1" || q.data.wait === "true";
      const viewer: Viewer = { orgId: caller.orgId, role: ROLE_OF_KIND[caller.orgKind] };
      const result = await submitLead(services, viewer, req.body ?? null, wait);
      return reply.status(result.created ? 201 : 200).send(answer(submittedLeadSchema, result));
    });

    app.get("/leads/:id", auth, async (req) => {
      const caller = req.caller!;
      const params = leadIdParams.safeParse(req.params);
      if (!params.success) throw new AppError("NOT_FOUND", "No such lead.");
      const view = await getLeadView(
        services,
        { orgId: caller.orgId, role: ROLE_OF_KIND[caller.orgKind] },
        params.data.id,
      );
      return answer(leadViewSchema, view);
    });
  };
}
