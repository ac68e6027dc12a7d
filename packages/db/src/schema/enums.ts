// Every pgEnum lives here, built from the engine's value lists: one source of truth per enum.
import { pgEnum } from "drizzle-orm/pg-core";
import {
  BUYER_TYPES,
  COMPLIANCE_REQUIREMENTS,
  DELIVERY_METHODS,
  DELIVERY_MODES,
  LEAD_STATUSES,
  LOST_REASONS,
  ORG_KINDS,
  PING_OUTCOMES,
  PRICING_MODELS,
  TRANSACTION_KINDS,
  UNSOLD_REASONS,
  USER_ROLES,
} from "@leadflow/engine";

export const userRole = pgEnum("user_role", USER_ROLES);
export const orgKind = pgEnum("org_kind", ORG_KINDS);

// Auction (packages/engine/src/auction/values.ts)
export const buyerType = pgEnum("buyer_type", BUYER_TYPES);
export const deliveryMode = pgEnum("delivery_mode", DELIVERY_MODES);
export const pricingModel = pgEnum("pricing_model", PRICING_MODELS);
export const deliveryMethod = pgEnum("delivery_method", DELIVERY_METHODS);
export const lostReason = pgEnum("lost_reason", LOST_REASONS);
export const pingOutcome = pgEnum("ping_outcome", PING_OUTCOMES);
export const leadStatus = pgEnum("lead_status", LEAD_STATUSES);
export const unsoldReason = pgEnum("unsold_reason", UNSOLD_REASONS);
export const transactionKind = pgEnum("transaction_kind", TRANSACTION_KINDS);
export const complianceRequirement = pgEnum("compliance_requirement", COMPLIANCE_REQUIREMENTS);
