// The `sellerWebhooks` router: a seller's status webhook (its URL, the secret shown once, the
// deliveries and the test event). Sellers only, and always their own organisation's: no input
// names an organisation, so another seller's settings cannot even be addressed.
import {
  getSellerWebhookSettings,
  listSellerDeliveries,
  removeSellerWebhook,
  rotateSellerWebhook,
  sellerWebhookInput,
  sendSellerTestEvent,
  setSellerWebhook,
} from "../sellers";
import { audited } from "../audit";
import { roleProcedure, router } from "../trpc";

const seller = roleProcedure("seller");

export const sellerWebhooksRouter = router({
  get: seller.query(({ ctx }) => getSellerWebhookSettings(ctx, ctx.user.orgId)),
  deliveries: seller.query(({ ctx }) => listSellerDeliveries(ctx, ctx.user.orgId)),
  save: seller
    .input(sellerWebhookInput)
    .mutation(
      audited({ entity: "seller_webhook", id: (_i, c) => c.user?.orgId }, ({ ctx, input }) =>
        setSellerWebhook(ctx, ctx.user.orgId, ctx.user.id, input),
      ),
    ),
  rotateSecret: seller.mutation(
    audited({ entity: "seller_webhook", id: (_i, c) => c.user?.orgId }, ({ ctx }) =>
      rotateSellerWebhook(ctx, ctx.user.orgId, ctx.user.id),
    ),
  ),
  sendTest: seller.mutation(({ ctx }) => sendSellerTestEvent(ctx, ctx.user.orgId)),
  remove: seller.mutation(
    audited({ entity: "seller_webhook", id: (_i, c) => c.user?.orgId }, ({ ctx }) =>
      removeSellerWebhook(ctx, ctx.user.orgId),
    ),
  ),
});
