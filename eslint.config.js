import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".tools/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly", performance: "readonly" },
    },
  },
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-throw-literal": "error",
    },
  },
  {
    // Pure core: manifests, policy, render and hydrate never reach GitHub or Probot.
    files: ["src/manifests/**/*.ts", "src/policy/**/*.ts", "src/render/**/*.ts", "src/hydrate/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["probot", "@octokit/*", "**/github/**", "**/handlers/**"] }],
    },
  },
);
