// The seller portal's CSV downloads (docs/sellers.md): the leads a seller filtered, and one month
// of its statement. Signed-in sessions only (the dashboard's cookie; an API key opens nothing
// here), seller accounts only, and only the caller's own organisation's rows. The leads file is
// streamed a page of rows at a time; the filter is the page's, checked by the same zod schema.
import {
  AppError,
  sellerLeadFilterInput,
  sellerLeadsCsv,
  sellerToday,
  statementMonthCsv,
  statementMonthInput,
  type Services,
  type SessionUser,
} from "@leadflow/api";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Readable } from "node:stream";

type UserFor = (token: string | undefined) => Promise<SessionUser | null>;

async function sellerOf(req: FastifyRequest, userFor: UserFor, cookieName: string): Promise<SessionUser> {
  const user = await userFor(req.cookies[cookieName]);
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in to download your leads.");
  if (user.role !== "seller") throw new AppError("FORBIDDEN", "These downloads are for lead seller accounts.");
  return user;
}

function csvHeaders(reply: FastifyReply, filename: string) {
  return reply
    .header("content-type", "text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${filename}"`)
    .header("cache-control", "no-store")
    .header("x-content-type-options", "nosniff");
}

export function registerSellerExports(app: FastifyInstance, services: Services, userFor: UserFor, cookieName: string) {
  app.get("/api/seller/leads.csv", async (req, reply) => {
    const user = await sellerOf(req, userFor, cookieName);
    const filter = sellerLeadFilterInput.parse(req.query ?? {});
    // Named by the seller's own date, as its rows' times are on its clock.
    csvHeaders(reply, `leads-${await sellerToday(services, user.orgId)}.csv`);
    return reply.send(Readable.from(sellerLeadsCsv(services, user.orgId, filter)));
  });
  app.get("/api/seller/statements/:month", async (req, reply) => {
    const user = await sellerOf(req, userFor, cookieName);
    const { month } = statementMonthInput.parse(req.params);
    const body = await statementMonthCsv(services, user.orgId, month);
    return csvHeaders(reply, `statement-${month}.csv`).send(body);
  });
}
