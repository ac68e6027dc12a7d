// Setting a network's request template (engine template.ts) and its auth secret on their own, so
// the admin's template editor (and later the buyer's own page) saves them without the whole buyer.
import { getBuyerForUpdate, updateBuyerRow, type Db } from "@leadflow/db";
import { REDACTED, type Clock, type RequestTemplate } from "@leadflow/engine";
import { z } from "zod";
import { AppError } from "../errors";
import { missingAuthSecret } from "./mapping";
import { requestAuthSecretSchema, requestTemplateSchema } from "./schemas";
import { getBuyer, type SaveResult } from "./service";
import { invalidSettings } from "./validate";

export const requestTemplateInput = z.strictObject({
  id: z.uuid("Unknown buyer."),
  requestTemplate: requestTemplateSchema,
  /** Left out or REDACTED: the stored secret stays; null removes it. */
  requestAuthSecret: requestAuthSecretSchema.nullable().optional(),
});
export type RequestTemplateInput = z.output<typeof requestTemplateInput>;

/**
 * Replaces a network's template (null: LeadFlow's own bodies again). orgId scopes it (null: an
 * admin). The secret is written only when given, and never read back: the view says only whether
 * there is one. Removing the auth removes its secret too, so no credential outlives its use.
 */
export async function setRequestTemplate(
  db: Db,
  clock: Clock,
  orgId: string | null,
  input: RequestTemplateInput,
): Promise<SaveResult> {
  return db.transaction(async (tx) => {
    const row = await getBuyerForUpdate(tx, input.id, orgId);
    if (!row) throw new AppError("NOT_FOUND", "No buyer with that id in your organisation.");
    if (row.type !== "NETWORK")
      throw new AppError("BAD_REQUEST", "Request templates are for network buyers; contractors get webhooks.");
    const template: RequestTemplate | null = input.requestTemplate;
    const given = input.requestAuthSecret;
    const problems = missingAuthSecret(template, given, row.requestAuthSecret);
    if (problems.length) throw invalidSettings(problems);
    const secret = !template?.auth ? null : given === undefined || given === REDACTED ? row.requestAuthSecret : given;
    await updateBuyerRow(tx, row.id, { requestTemplate: template, requestAuthSecret: secret, updatedAt: clock.now() });
    return { buyer: await getBuyer(tx, row.id, null) };
  });
}
