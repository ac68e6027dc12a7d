// Path and query parameters of the REST routes, as zod schemas: the routes parse with them and the
// OpenAPI document (openapi.ts) describes them from them.
import { z } from "zod";

/** `:id` of /leads/:id: a lead id. Anything else is answered like a lead that is not yours (404). */
export const leadIdParams = z.object({ id: z.uuid().meta({ description: "The lead's id." }) });

export const waitQuery = z.object({
  wait: z
    .enum(["1", "0", "true", "false"])
    .optional()
    .meta({ description: "1 or true: run the auction before answering, and answer with its outcome." }),
});
