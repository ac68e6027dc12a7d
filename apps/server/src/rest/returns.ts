// POST and GET /api/v1/leads/:id/return for buyers (docs/api.md, docs/returns.md): a network's or a
// contractor's API key returns a lead its organisation bought. The body is validated by the same
// schema as the dashboard; the rules, the window and the one-return-per-sale limit are the service's.
import {
  AppError,
  listReturns,
  requestReturn,
  returnBodySchema,
  returnListAnswerSchema,
  returnResultSchema,
  type Services,
} from "@leadflow/api";
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import { answer } from "./answer";
import { requireApiKey } from "./api-key";
import { leadIdParams } from "./params";

export function returnsRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    app.post("/leads/:id/return", { preHandler: requireApiKey(services) }, async (req, reply) => {
      const caller = req.caller!;
      if (caller.orgKind !== "network" && caller.orgKind !== "contractor") {
        throw new AppError("FORBIDDEN", "Only a buyer's API key (a network or a contractor) can return a lead.");
      }
      const params = leadIdParams.safeParse(req.params);
      if (!params.success) throw new AppError("NOT_FOUND", "No such lead among the leads you bought.");
      const body = returnBodySchema.safeParse(req.body ?? {});
      if (!body.success) {
        throw new AppError(
          "BAD_REQUEST",
          "The return request needs fixing.",
          z.flattenError(body.error).fieldErrors as Record<string, string[]>,
        );
      }
      const result = await requestReturn(
        services,
        { orgId: caller.orgId, userId: null, via: "api" },
        params.data.id,
        body.data,
      );
      return reply.status(result.status === "APPROVED" ? 201 : 202).send(answer(returnResultSchema, result));
    });

    /** Where a return stands (a held one is decided later by an admin): the caller's requests for the lead. */
    app.get("/leads/:id/return", { preHandler: requireApiKey(services) }, async (req) => {
      const caller = req.caller!;
      if (caller.orgKind !== "network" && caller.orgKind !== "contractor") {
        throw new AppError("FORBIDDEN", "Only a buyer's API key (a network or a contractor) can read returns.");
      }
      const params = leadIdParams.safeParse(req.params);
      if (!params.success) throw new AppError("NOT_FOUND", "No return of yours for this lead.");
      const rows = await listReturns(
        services.db,
        { kind: "buyer", orgId: caller.orgId },
        { leadId: params.data.id, limit: 10 },
      );
      if (rows.length === 0) throw new AppError("NOT_FOUND", "No return of yours for this lead.");
      return answer(returnListAnswerSchema, {
        returns: rows.map((r) => ({
          id: r.id,
          leadId: r.leadId,
          buyerId: r.buyerId!, // null only in a seller's view; this is the buyer's
          reason: r.reason,
          comment: r.comment,
          status: r.status,
          rule: r.rule,
          detail: r.ruleDetail,
          decisionNote: r.decisionNote,
          decidedAt: r.decidedAt,
          creditedCents: r.creditedCents,
          createdAt: r.createdAt,
        })),
      });
    });
  };
}
