// Domain errors carry a literal code; they are mapped to tRPC and HTTP status in one place
// (toTRPCError here, and the REST error handler in apps/server). No database text leaks out.
import { TRPCError } from "@trpc/server";

export type AppErrorCode =
  "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "PRECONDITION_FAILED" | "TOO_MANY_REQUESTS";

export class AppError extends Error {
  constructor(
    public readonly code: AppErrorCode,
    message: string,
    /** Field path → message, shown beside form fields. */
    public readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  TOO_MANY_REQUESTS: 429,
};

export function toTRPCError(err: AppError): TRPCError {
  return new TRPCError({ code: err.code, message: err.message, cause: err });
}
