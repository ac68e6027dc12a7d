import type { AppRouter } from "@leadflow/api";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";

/** What each procedure answers, for typing the pages' word maps by the server's own codes. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (count, err) => {
          // Don't retry what retrying cannot fix.
          if (
            err instanceof TRPCClientError &&
            ["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "BAD_REQUEST"].includes(err.data?.code)
          )
            return false;
          return count < 2;
        },
      },
    },
  });
}

export function makeTrpcClient() {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: "/trpc", fetch: (url, opts) => fetch(url, { ...opts, credentials: "same-origin" }) })],
  });
}

export type FieldErrors = Record<string, string[] | undefined>;

/** Field errors from a failed mutation, for showing beside the form fields. */
export function fieldErrorsOf(err: unknown): FieldErrors {
  if (!(err instanceof TRPCClientError)) return {};
  const data = err.data as
    { zodError?: { fieldErrors?: FieldErrors } | null; fieldErrors?: FieldErrors | null } | undefined;
  return { ...(data?.zodError?.fieldErrors ?? {}), ...(data?.fieldErrors ?? {}) };
}

/** A message a person can act on, for errors that don't belong to one field. */
export function messageOf(err: unknown): string | null {
  if (!err) return null;
  if (err instanceof TRPCClientError) {
    const data = err.data as { zodError?: unknown } | undefined;
    if (data?.zodError) return "Some fields need attention.";
    return err.message;
  }
  return "We couldn't reach the server. Check your connection and try again.";
}
