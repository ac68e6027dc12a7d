// Every pgEnum lives here, built from the engine's value lists: one source of truth per enum.
import { pgEnum } from "drizzle-orm/pg-core";
import { ORG_KINDS, USER_ROLES } from "@leadflow/engine";

export const userRole = pgEnum("user_role", USER_ROLES);
export const orgKind = pgEnum("org_kind", ORG_KINDS);
