// The admin's compliance uploads (docs/compliance.md), streamed: a suppression list CSV and a
// do-not-call registry file arrive as the request body (text/csv or text/plain) and are read a
// line at a time as they come, never whole in memory; the answer is the per-line report. The
// dashboard shows the upload's progress (bytes sent) and, for suppression lists, polls the
// upload's counts. Signed-in admins only, over the session cookie; a cookie alone is not enough
// to post here from another site: the request must carry X-LeadFlow-Upload, a header no form or
// simple cross-site request can send (browsers preflight it, and no preflight is ever allowed).
import { AppError, importDncFile, uploadSuppressionCsv, type Services, type SessionUser } from "@leadflow/api";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Readable } from "node:stream";
import { z } from "zod";

type UserFor = (token: string | undefined) => Promise<SessionUser | null>;

/** 1 GiB: a registry file of every number in a few area codes; the body is never held in memory. */
export const COMPLIANCE_UPLOAD_LIMIT = 1024 * 1024 * 1024;

const suppressionQuery = z.strictObject({
  buyerId: z.uuid("Choose a buyer, or none for the global list.").optional(),
  fileName: z.string().trim().min(1).max(200).default("upload.csv"),
});
const dncQuery = z.strictObject({ fileName: z.string().trim().min(1).max(200).default("dnc.txt") });

async function adminOf(req: FastifyRequest, userFor: UserFor, cookieName: string): Promise<SessionUser> {
  const user = await userFor(req.cookies[cookieName]);
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in to upload.");
  if (user.role !== "admin") throw new AppError("FORBIDDEN", "Only admins upload compliance lists.");
  if (req.headers["x-leadflow-upload"] !== "1")
    throw new AppError("FORBIDDEN", "Uploads come from the dashboard (the X-LeadFlow-Upload header is missing).");
  return user;
}

export function registerComplianceUploads(
  app: FastifyInstance,
  services: Services,
  userFor: UserFor,
  cookieName: string,
) {
  return app.register(async (scoped) => {
    // In this scope only: the body is handed over as the raw stream.
    scoped.addContentTypeParser(["text/csv", "text/plain", "application/octet-stream"], (_req, payload, done) =>
      done(null, payload),
    );
    const opts = { bodyLimit: COMPLIANCE_UPLOAD_LIMIT };
    scoped.post("/api/admin/compliance/suppression", opts, async (req, reply) => {
      const user = await adminOf(req, userFor, cookieName);
      const q = suppressionQuery.parse(req.query ?? {});
      if (!req.body) throw new AppError("BAD_REQUEST", "Send the CSV as the body (text/csv).");
      const report = await uploadSuppressionCsv(
        services,
        { buyerId: q.buyerId ?? null, fileName: q.fileName, userId: user.id },
        req.body as Readable,
      );
      return reply.header("cache-control", "no-store").send(report);
    });
    scoped.post("/api/admin/compliance/dnc", opts, async (req, reply) => {
      const user = await adminOf(req, userFor, cookieName);
      const q = dncQuery.parse(req.query ?? {});
      if (!req.body) throw new AppError("BAD_REQUEST", "Send the registry file as the body (text/plain).");
      const report = await importDncFile(services, { fileName: q.fileName, userId: user.id }, req.body as Readable);
      return reply.header("cache-control", "no-store").send(report);
    });
  });
}
