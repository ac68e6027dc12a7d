import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Packages are used through their declared entries only (package.json "exports"): "." and, for tests,
// "./testing"; the dashboard's form checks come from "@leadflow/api/forms" so the browser bundle
// stays free of server code. Kept in every block that sets no-restricted-imports, because a later
// block's setting replaces an earlier one's.
const deepImports = {
  group: ["@leadflow/*/*", "!@leadflow/*/testing", "!@leadflow/api/forms"],
  message: "Import the package's public surface (its index, or ./testing for fixtures), not a file inside it.",
};

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "**/.data/**", "apps/e2e/artifacts/**", "packages/db/drizzle/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "error",
      "no-restricted-imports": ["error", { patterns: [deepImports] }],
    },
  },
  {
    // The engine decides; it never reaches out. Packages log through pino, not the console.
    files: ["packages/engine/src/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@leadflow/*", "node:*", "fs", "http", "https", "net", "child_process"],
              message: "The engine is pure: no I/O and nothing else of ours.",
            },
          ],
        },
      ],
      "no-restricted-globals": [
        "error",
        { name: "process", message: "The engine reads no environment." },
        { name: "fetch", message: "The engine does no I/O." },
      ],
    },
  },
  {
    // The api's services read as load → engine decides → write: every statement lives in
    // packages/db/src/queries (STYLE.md item 12). Tests and their fixtures (testing.ts) may arrange
    // and assert rows with drizzle directly.
    files: ["packages/api/src/**/*.{ts,tsx}", "apps/server/src/**/*.ts"],
    ignores: ["**/*.test.ts", "**/testing.ts", "apps/server/src/auction-it/world.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "drizzle-orm", message: "Write a query function in packages/db/src/queries and call it." }],
          patterns: [deepImports],
        },
      ],
    },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    files: ["**/*.test.ts", "apps/e2e/**", "scripts/**", "apps/*/src/main.ts", "apps/*/src/*-cli.ts"],
    rules: { "no-console": "off", "@typescript-eslint/no-non-null-assertion": "off" },
  },
);
