// A buyer's monthly statement as a download (docs/billing.md): CSV and PDF. Signed-in sessions
// only (the dashboard's cookie); an admin may download any buyer's, a buyer org (contractor,
// network) its own buyers' only (another's is 404, as if it did not exist); other roles 403.
import {
  AppError,
  statement,
  statementCsv,
  statementMonthSchema,
  statementPdf,
  type Services,
  type SessionUser,
} from "@leadflow/api";
import type { FastifyInstance, FastifyRequest } from "fastify";

type UserFor = (token: string | undefined) => Promise<SessionUser | null>;

async function viewerOf(req: FastifyRequest, userFor: UserFor, cookieName: string): Promise<SessionUser> {
  const user = await userFor(req.cookies[cookieName]);
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in to download a statement.");
  if (!["admin", "contractor", "network"].includes(user.role))
    throw new AppError("FORBIDDEN", "Statements are for buyers and admins.");
  return user;
}

export function registerBuyerStatements(
  app: FastifyInstance,
  services: Services,
  userFor: UserFor,
  cookieName: string,
) {
  app.get("/api/billing/statements/:buyerId/:file", async (req, reply) => {
    const user = await viewerOf(req, userFor, cookieName);
    const { buyerId, file } = req.params as { buyerId: string; file: string };
    const m = /^(\d{4}-\d{2})\.(csv|pdf)$/.exec(file);
    if (!m) throw new AppError("BAD_REQUEST", "Ask for YYYY-MM.csv or YYYY-MM.pdf.");
    const { month } = statementMonthSchema.parse({ buyerId, month: m[1] });
    const st = await statement(services.db, user, buyerId, month);
    reply
      .header("content-disposition", `attachment; filename="statement-${month}.${m[2]}"`)
      .header("cache-control", "no-store")
      .header("x-content-type-options", "nosniff");
    if (m[2] === "csv") return reply.header("content-type", "text/csv; charset=utf-8").send(statementCsv(st));
    return reply.header("content-type", "application/pdf").send(await statementPdf(st));
  });
}
