// What the dashboard's forms check before they send: the very schemas and rules the server's
// procedures parse with, so a person sees every problem, the browser's and the server's, at once.
// Browser-safe: zod, the engine and pure helpers only (no database, no tRPC server).
import { check, toFieldErrors, type FieldErrors } from "./buyers/check";
import {
  buyerInputSchema,
  contractorSettingsFields,
  myTermsProblems,
  myTermsTermsSchema,
  settingsProblems,
  verticalInput,
} from "./buyers/schemas";
import { priceRangeProblems, priceRangeSchema } from "./marketplace/price-range-schema";
import { buyerTermsSchema } from "./returns/schemas";
import { changePasswordSchema, resetPasswordSchema, userCreateSchema, userUpdateSchema } from "./users/schemas";
import { z } from "zod";

export type { FieldErrors } from "./buyers/check";

const contractorSettingsForm = z.object({ id: z.string(), ...contractorSettingsFields });

/** Field errors of a contractor's settings as `buyers.updateSettings` would report them; {} if none. */
export function contractorSettingsErrors(value: unknown): FieldErrors {
  const r = check(contractorSettingsForm, value, settingsProblems);
  return r.ok ? {} : toFieldErrors(r.problems);
}

/**
 * Field errors of a whole buyer (the admin's editor) as `buyers.create` / `buyers.update` would
 * report them, keyed by the buyer's own fields; {} if none. The server's URL guard is its own.
 */
export function buyerErrors(value: unknown): FieldErrors {
  const r = check(buyerInputSchema, value, settingsProblems);
  return r.ok ? {} : toFieldErrors(r.problems);
}

/**
 * Field errors of a network's own terms (the `terms` of `buyers.updateMyTerms`), keyed as the
 * server reports them; {} if none. Locked terms and where the URLs point are the server's to check.
 */
export function myTermsErrors(value: unknown): FieldErrors {
  const r = check(myTermsTermsSchema, value, myTermsProblems);
  return r.ok ? {} : toFieldErrors(r.problems);
}

/** Field errors of a buyer's return terms as `returns.setBuyerTerms` would report them; {} if none. */
export function returnTermsErrors(value: unknown): FieldErrors {
  const r = check(buyerTermsSchema, value, () => []);
  return r.ok ? {} : toFieldErrors(r.problems);
}

/** Field errors of a DJ's price range as `marketDj.setPriceRange` would report them; {} if none. */
export function priceRangeErrors(value: unknown): FieldErrors {
  const r = check(priceRangeSchema, value, priceRangeProblems);
  return r.ok ? {} : toFieldErrors(r.problems);
}

/** Field errors of a vertical as `buyers.saveVertical` would report them; {} if none. */
export function verticalErrors(value: unknown): FieldErrors {
  const r = check(verticalInput, value, () => []);
  return r.ok ? {} : toFieldErrors(r.problems);
}

/** Field errors of a new user as `users.create` would report them (bar the organisation's role rule). */
export function userCreateErrors(value: unknown): FieldErrors {
  const r = check(userCreateSchema, value, () => []);
  return r.ok ? {} : toFieldErrors(r.problems);
}

/** Field errors of a user's edit as `users.update` would report them. */
export function userUpdateErrors(value: unknown): FieldErrors {
  const r = check(userUpdateSchema, value, () => []);
  return r.ok ? {} : toFieldErrors(r.problems);
}

/** Field errors of a password change as `auth.changePassword` would report them. */
export function changePasswordErrors(value: unknown): FieldErrors {
  const r = check(changePasswordSchema, value, () => []);
  return r.ok ? {} : toFieldErrors(r.problems);
}

/** Field errors of the reset-password page as `users.resetPassword` would report them. */
export function resetPasswordErrors(value: unknown): FieldErrors {
  const r = check(resetPasswordSchema, value, () => []);
  return r.ok ? {} : toFieldErrors(r.problems);
}
