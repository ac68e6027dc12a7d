// The `buyers` router: admins manage every buyer and vertical; a contractor reads and changes its
// own delivery settings; a network buyer reads its own terms. Logic lives in ../buyers.
import {
  listBuyerIdsForAudit,
  listVerticalKeys,
  listVerticalsByName,
  setContractorWebhookSecret,
  upsertVertical,
} from "@leadflow/db";
import { audited, auditedMany, markAudited } from "../audit";
import {
  assertTemplateUnlocked,
  lockedFieldsInput,
  myTermsInput,
  sendTestInput,
  sendTestRequest,
  setLockedFields,
  updateMyTerms,
} from "../buyers/self-service";
import { z } from "zod";
import {
  contractorSettingsFields,
  buyerInputSchema,
  settingsProblems,
  verticalInput,
  webhookSecretSchema,
} from "../buyers/schemas";
import {
  createBuyer,
  generateWebhookSecret,
  getBuyer,
  listBuyers,
  setBuyerActive,
  updateBuyer,
  updateContractorSettings,
  type SaveResult,
} from "../buyers/service";
import { requestTemplateInput, setRequestTemplate } from "../buyers/request-template";
import { exportBuyers, importBuyers } from "../buyers/transfer";
import { outboundUrlProblems } from "../buyers/urls";
import { fieldParser, invalidSettings } from "../buyers/validate";
import type { Context } from "../context";
import { STRICT_OUTBOUND } from "../outbound/guard";
import { AppError } from "../errors";
import { adminProcedure, authedProcedure, roleProcedure, router } from "../trpc";

const buyerReader = roleProcedure("admin", "contractor", "network");
const settingsOwner = roleProcedure("admin", "contractor");
/** Admins see every organisation; everyone else only their own. */
const scope = (user: { role: string; orgId: string }) => (user.role === "admin" ? null : user.orgId);

const secretFields = { webhookSecret: webhookSecretSchema.optional(), generateWebhookSecret: z.boolean().optional() };

const settingsInput = fieldParser(
  z.strictObject({ id: z.uuid("Unknown buyer."), ...contractorSettingsFields, ...secretFields }),
  settingsProblems,
);
const createInput = fieldParser(
  z.strictObject({ orgId: z.uuid("Choose an organisation."), buyer: buyerInputSchema, ...secretFields }),
  (v) => settingsProblems(v.buyer),
  "buyer",
);
const updateInput = fieldParser(
  z.strictObject({ id: z.uuid("Unknown buyer."), buyer: buyerInputSchema, ...secretFields }),
  (v) => settingsProblems(v.buyer),
  "buyer",
);

/** Every URL leads would be sent to must pass the outbound guard (a field error otherwise). */
async function refusePrivateUrls(ctx: Context, value: Parameters<typeof outboundUrlProblems>[0][number]["value"]) {
  const problems = await outboundUrlProblems([{ prefix: [], value }], ctx.outbound ?? STRICT_OUTBOUND);
  if (problems.length) throw invalidSettings(problems);
}

export const buyersRouter = router({
  verticals: authedProcedure.query(({ ctx }) => listVerticalsByName(ctx.db)),
  saveVertical: adminProcedure.input(verticalInput).mutation(
    audited({ entity: "vertical", id: (input) => input.key }, async ({ ctx, input }) => {
      return upsertVertical(ctx.db, input);
    }),
  ),

  list: buyerReader.query(({ ctx }) => listBuyers(ctx.db, scope(ctx.user))),
  get: buyerReader
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getBuyer(ctx.db, input.id, scope(ctx.user))),

  create: adminProcedure.input(createInput).mutation(
    audited({ entity: "buyer", id: (_i, _c, r) => (r as SaveResult | undefined)?.buyer.id }, async ({ ctx, input }) => {
      await refusePrivateUrls(ctx, input.buyer);
      return createBuyer(ctx.db, ctx.clock, input.orgId, input.buyer, input);
    }),
  ),
  update: adminProcedure.input(updateInput).mutation(
    audited({ entity: "buyer", id: (input) => input.id }, async ({ ctx, input }) => {
      await refusePrivateUrls(ctx, input.buyer);
      return updateBuyer(ctx.db, ctx.clock, input.id, input.buyer, input);
    }),
  ),
  setActive: adminProcedure
    .input(z.object({ id: z.uuid(), active: z.boolean() }))
    .mutation(
      audited({ entity: "buyer", id: (input) => input.id }, ({ ctx, input }) =>
        setBuyerActive(ctx.db, ctx.clock, input.id, input.active),
      ),
    ),

  /** A contractor's delivery settings, all at once; zips are replaced in the same transaction. */
  updateSettings: settingsOwner.input(settingsInput).mutation(
    audited({ entity: "buyer", id: (input) => input.id }, async ({ ctx, input }) => {
      const { id, webhookSecret, generateWebhookSecret: gen, ...settings } = input;
      await refusePrivateUrls(ctx, settings);
      return updateContractorSettings(ctx.db, ctx.clock, scope(ctx.user), id, settings, {
        webhookSecret,
        generateWebhookSecret: gen,
      });
    }),
  ),
  /** A new signing secret, returned once; the old one stops working at once. */
  rotateWebhookSecret: settingsOwner.input(z.object({ id: z.uuid() })).mutation(
    audited({ entity: "buyer", id: (input) => input.id }, async ({ ctx, input }) => {
      const secret = generateWebhookSecret();
      const orgId = scope(ctx.user);
      if (!(await setContractorWebhookSecret(ctx.db, input.id, orgId, secret, ctx.clock.now())))
        throw new AppError("NOT_FOUND", "No contractor buyer with that id in your organisation.");
      return { webhookSecret: secret };
    }),
  ),

  /**
   * A network's request template and auth secret (docs/request-templates.md). Admin only here;
   * the scope is passed so a buyer's own page can call the same service for its own buyer.
   */
  setRequestTemplate: adminProcedure
    .input(fieldParser(requestTemplateInput))
    .mutation(
      audited({ entity: "buyer", id: (input) => input.id }, ({ ctx, input }) =>
        setRequestTemplate(ctx.db, ctx.clock, scope(ctx.user), input),
      ),
    ),

  /** A network buyer's own terms (not the fields the admin locked); URLs pass the outbound guard. */
  updateMyTerms: roleProcedure("network")
    .input(myTermsInput)
    .mutation(
      audited({ entity: "buyer", id: (input) => input.id }, async ({ ctx, input }) => {
        await refusePrivateUrls(ctx, input.terms);
        return updateMyTerms(ctx.db, ctx.clock, ctx.user.orgId, input.id, input.terms);
      }),
    ),
  /** A network buyer's own request template and auth secret, unless the admin locked it. */
  setMyRequestTemplate: roleProcedure("network")
    .input(fieldParser(requestTemplateInput))
    .mutation(
      audited({ entity: "buyer", id: (input) => input.id }, async ({ ctx, input }) => {
        await assertTemplateUnlocked(ctx.db, ctx.user.orgId, input.id);
        return setRequestTemplate(ctx.db, ctx.clock, ctx.user.orgId, input);
      }),
    ),
  /** The terms a network buyer may not change itself. */
  setLockedFields: adminProcedure
    .input(lockedFieldsInput)
    .mutation(
      audited({ entity: "buyer", id: (input) => input.id }, ({ ctx, input }) =>
        setLockedFields(ctx.db, ctx.clock, input.id, input.fields),
      ),
    ),
  /** A test ping or post with the sample lead: what was sent, the raw answer, what it meant. */
  sendTest: roleProcedure("admin", "network")
    .input(sendTestInput)
    .mutation(markAudited(({ ctx, input }) => sendTestRequest(ctx, scope(ctx.user), input.id, input.kind), "buyer")),

  export: adminProcedure.query(({ ctx }) => exportBuyers(ctx.db, ctx.clock)),
  import: adminProcedure.input(z.object({ text: z.string().max(5_000_000, "The file is larger than 5 MB.") })).mutation(
    auditedMany(
      { entity: "buyer", ids: listBuyerIdsForAudit },
      auditedMany({ entity: "vertical", ids: listVerticalKeys }, ({ ctx, input }) =>
        importBuyers(ctx.db, ctx.clock, input.text, ctx.outbound ?? STRICT_OUTBOUND),
      ),
    ),
  ),
});
