// Domain errors carry a literal code; they are mapped to tRPC and HTTP status in one place
// (toTRPCError here, and the REST error handler in apps/server). No database text leaks out.
import { TRPCError } from "@trpc/server";
import { z } from "zod";

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

/**
 * The one shape of every error the server answers itself (REST, unknown routes, refusals made before
 * a tRPC call runs): `error` is a code, `message` says what to do. The REST error handler builds its
 * answers to this type, and the OpenAPI document describes each error answer with it.
 */
export const apiErrorSchema = z.strictObject({
  error: z.string().meta({ description: "A code: BAD_REQUEST, UNAUTHORIZED, PING_EXPIRED, …", example: "BAD_REQUEST" }),
  message: z.string().meta({ description: "What went wrong and what to do, for a person." }),
  fieldErrors: z
    .record(z.string(), z.array(z.string()))
    .optional()
    .meta({ description: 'Field path → problems, when fields are at fault; "(body)" for the body as a whole.' }),
  issues: z
    .strictObject({ formErrors: z.array(z.string()), fieldErrors: z.record(z.string(), z.array(z.string())) })
    .optional()
    .meta({ description: "A body refused by a schema outside the services: its problems, flattened." }),
});
export type ApiErrorBody = z.output<typeof apiErrorSchema>;
