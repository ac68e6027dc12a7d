// Runs in every test worker before each test file (vitest.config.ts `setupFiles`).
//
// Passwords: the application hashes at scrypt's OWASP floor (N=2^17, 128 MiB, about 0.3 s a hash
// on a quiet 2-core machine and many seconds on a busy one). Tests sign in often, and each sign-in
// verifies one hash, so the suite hashes new passwords at N=2^10 instead. A hash records its own
// parameters, so signing in still runs the real verification; auth.test.ts checks the application's
// own cost. Imported by file so that test files that never touch passwords load nothing more.
import { setPasswordHashCostForTests, TEST_PASSWORD_HASH_COST } from "./packages/api/src/auth/password";

setPasswordHashCostForTests(TEST_PASSWORD_HASH_COST);
