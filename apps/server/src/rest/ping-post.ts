// POST /api/v1/ping and POST /api/v1/post for sellers (docs/api.md "Ping, then post"). Bodies are
// validated by the sellers' schemas (a bad one is a 400 naming the fields, and writes nothing); a
// post refused for its ping (unknown, another seller's, used, expired, not accepted, different) is
// answered with the status POST_REFUSAL_STATUS gives it and writes nothing either.
import {
  AppError,
  pingAnswerSchema,
  pingLead,
  postAnswerSchema,
  POST_REFUSAL_STATUS,
  postLead,
  PostRefused,
  type ApiErrorBody,
  type Services,
} from "@leadflow/api";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { performance } from "node:perf_hooks";
import { answer } from "./answer";
import { requireApiKey } from "./api-key";

function sellerOf(req: FastifyRequest): string {
  const caller = req.caller!;
  if (caller.orgKind !== "seller")
    throw new AppError("FORBIDDEN", "Only a lead seller's API key can ping and post leads.");
  return caller.orgId;
}

export function pingPostRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const auth = { preHandler: requireApiKey(services) };

    app.post("/ping", auth, async (req, reply) => {
      // The ping's deadline counts from the request's arrival (fastify's onRequest), not from here.
      const arrivedAt = performance.now() - reply.elapsedTime;
      const quote = await pingLead(services, sellerOf(req), req.body ?? null, { arrivedAt });
      // How long the server took, arrival to answer (the seller's figure minus the network and queues),
      // and when it saw the request arrive (ms since the epoch): a caller on the same clock can tell
      // the time its request waited before the server got to it from the time after the answer.
      const arrival = (performance.timeOrigin + arrivedAt).toFixed(2);
      reply.header("server-timing", `app;dur=${(performance.now() - arrivedAt).toFixed(1)}, arrival;desc="${arrival}"`);
      return reply.status(200).send(answer(pingAnswerSchema, quote));
    });

    app.post("/post", auth, async (req, reply) => {
      try {
        const outcome = await postLead(services, sellerOf(req), req.body ?? null);
        return reply.status(201).send(answer(postAnswerSchema, outcome));
      } catch (err) {
        if (err instanceof PostRefused) {
          const body: ApiErrorBody = { error: err.code, message: err.message, fieldErrors: err.fieldErrors };
          return reply.status(POST_REFUSAL_STATUS[err.code]).send(body);
        }
        throw err;
      }
    });
  };
}
