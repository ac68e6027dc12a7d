// The inputs of user management (docs/users.md), browser-safe: the dashboard's forms check with
// these very schemas (forms.ts). One password rule for every place a password is chosen.
import {
  ORG_KINDS,
  PASSWORD_MAX,
  PASSWORD_MIN,
  ROLES_FOR_ORG_KIND,
  USER_ROLES,
  type OrgKind,
  type UserRole,
} from "@leadflow/engine";
import { z } from "zod";

/** A new password: 10 to 200 characters (NIST SP 800-63B: length, no composition rules). */
export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters; a few words together are easy to remember.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);

const name = z.string().trim().min(1, "Enter the person's name.").max(120, "Use at most 120 characters.");

export const userCreateSchema = z.object({
  orgId: z.uuid("Choose the organisation."),
  email: z.email("Enter an email address like name@company.com.").max(254),
  name,
  role: z.enum(USER_ROLES, "Choose a role."),
});

export const userUpdateSchema = z.object({
  id: z.uuid(),
  name,
  role: z.enum(USER_ROLES, "Choose a role."),
});

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(PASSWORD_MAX),
  newPassword: newPasswordSchema,
});

export const resetPasswordSchema = z.object({
  token: z.string().min(20, "This link is not complete; open it from the email again.").max(200),
  password: newPasswordSchema,
});

/** Whether `role` may be held in an organisation of `kind`. */
export function roleFitsOrg(role: UserRole, kind: OrgKind): boolean {
  return ROLES_FOR_ORG_KIND[kind].includes(role);
}

export { ORG_KINDS, PASSWORD_MAX, PASSWORD_MIN, ROLES_FOR_ORG_KIND };
