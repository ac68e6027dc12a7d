import { z } from "zod";
import { audited } from "../audit";
import { login, logout } from "../auth/sessions";
import { changeOwnPassword } from "../users/service";
import { changePasswordSchema } from "../users/schemas";
import { authedProcedure, publicProcedure, router } from "../trpc";

export const loginInput = z.object({
  email: z.email("Enter the email address you signed up with.").max(254),
  password: z.string().min(1, "Enter your password.").max(200),
});

export const authRouter = router({
  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const s = await login(ctx.db, ctx.clock, input.email, input.password);
    ctx.setSessionCookie?.(s.token, s.expiresAt);
    ctx.log.info({ userId: s.user.id, role: s.user.role }, "login");
    return s.user;
  }),
  logout: publicProcedure.mutation(async ({ ctx }) => {
    await logout(ctx.db, ctx.sessionToken);
    ctx.setSessionCookie?.(null);
    return { ok: true as const };
  }),
  /** The signed-in user, or null: the dashboard decides between login and home with it. */
  me: publicProcedure.query(({ ctx }) => ctx.user),
  whoami: authedProcedure.query(({ ctx }) => ctx.user),
  /** The caller's own password: the current one is required; every other session of theirs ends. */
  changePassword: authedProcedure
    .input(changePasswordSchema)
    .mutation(
      audited({ entity: "user", id: (_input, ctx) => ctx.user.id }, ({ ctx, input }) => changeOwnPassword(ctx, input)),
    ),
});
