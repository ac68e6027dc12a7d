import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from "@leadflow/db";
import { initTRPC, TRPCError } from "@trpc/server";
import type { UserRole } from "@leadflow/engine";
import { z } from "zod";
import type { Context } from "./context";
import { AppError, toTRPCError } from "./errors";
import { UNSTORABLE_MESSAGE, unstorableTextPath } from "./input-guard";

export const UNAVAILABLE_MESSAGE = `The database cannot be reached just now; try again in ${RETRY_AFTER_SECONDS} seconds.`;
const INTERNAL_MESSAGE = "Something went wrong on our side. Try again; if it keeps happening, tell an admin.";

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    // The database is away (also when reading the session, before any procedure runs): a 503 the
    // client may retry (the adapter adds Retry-After). Other unexpected errors never show their
    // text: a failed query's message carries its SQL and parameters.
    if (error.code === "SERVICE_UNAVAILABLE" || isDatabaseUnavailable(error)) {
      return {
        ...shape,
        message: UNAVAILABLE_MESSAGE,
        data: {
          ...shape.data,
          code: "SERVICE_UNAVAILABLE" as const,
          httpStatus: 503,
          zodError: null,
          fieldErrors: null,
          stack: undefined,
        },
      };
    }
    return {
      ...shape,
      message:
        error.code === "INTERNAL_SERVER_ERROR" && !(cause instanceof AppError) ? INTERNAL_MESSAGE : shape.message,
      data: {
        ...shape.data,
        // Field errors for forms: zod's from input validation, or an AppError's own.
        zodError: cause instanceof z.ZodError ? z.flattenError(cause) : null,
        fieldErrors: cause instanceof AppError ? (cause.fieldErrors ?? null) : null,
        stack: undefined,
      },
    };
  },
});

/** Turns domain errors into tRPC errors and hides anything unexpected behind a generic message. */
const errorMapping = t.middleware(async ({ next, ctx, path }) => {
  const res = await next();
  if (!res.ok) {
    const cause = res.error.cause;
    if (cause instanceof AppError) {
      res.error = Object.assign(toTRPCError(cause), { cause });
    } else if (res.error.code === "INTERNAL_SERVER_ERROR" && isDatabaseUnavailable(res.error)) {
      // Not a bug: the database is away. The caller gets a 503 to retry; the server logs it once a while.
      res.error = new TRPCError({ code: "SERVICE_UNAVAILABLE", message: UNAVAILABLE_MESSAGE, cause: res.error.cause });
    } else if (res.error.code === "INTERNAL_SERVER_ERROR") {
      ctx.log.error({ err: cause ?? res.error, path }, "procedure failed");
      res.error = new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: INTERNAL_MESSAGE });
    }
  }
  return res;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Text the database can't store (NUL, broken unicode) is refused as a 400 before any procedure runs. */
const storableInput = t.middleware(async ({ getRawInput, next }) => {
  const field = unstorableTextPath(await getRawInput());
  if (field) throw new AppError("BAD_REQUEST", `${field} ${UNSTORABLE_MESSAGE}.`, { [field]: [UNSTORABLE_MESSAGE] });
  return next();
});

export const publicProcedure = t.procedure.use(errorMapping).use(storableInput);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Only these roles may call. Everything they read is still scoped to ctx.user.orgId. */
export function roleProcedure(...roles: UserRole[]) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.user.role)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This is for ${roles.join(" or ")} accounts.` });
    }
    return next({ ctx });
  });
}

export const adminProcedure = roleProcedure("admin");
