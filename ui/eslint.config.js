import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const FEATURES = ["inbox", "thread"];

/** All IPC goes through the generated bindings; `patterns` adds layer boundaries. */
function restrictImports(patterns = []) {
  return [
    "error",
    {
      paths: [{ name: "@tauri-apps/api/core", importNames: ["invoke"], message: "Use `commands` from src/bindings.ts." }],
      patterns,
    },
  ];
}

export default tseslint.config(
  // bindings.ts is generated from Rust: its style is the generator's, not ours.
  { ignores: ["dist", "dist-preview", "node_modules", "src/bindings.ts"] },
  {
    files: ["**/*.{ts,tsx,js}"],
    extends: [js.configs.recommended, ...tseslint.configs.strict, reactHooks.configs.flat.recommended],
    languageOptions: { ecmaVersion: 2022, globals: globals.browser },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // This rule only matters under React Compiler, which the build does not use.
      "react-hooks/incompatible-library": "off",
      "no-restricted-imports": restrictImports(),
    },
  },
  // Imports flow one way: app → features → shared. Features never import each other.
  {
    files: ["src/components/**", "src/lib/**", "src/hooks/**"],
    ignores: ["**/*.test.*"],
    rules: {
      "no-restricted-imports": restrictImports([
        { regex: "(^|/)(features|app)/", message: "Shared code must not depend on features or the app shell." },
      ]),
    },
  },
  ...FEATURES.map((feature) => ({
    files: [`src/features/${feature}/**`],
    ignores: ["**/*.test.*"],
    rules: {
      "no-restricted-imports": restrictImports([
        {
          regex: `(^|/)(app|${FEATURES.filter((other) => other !== feature).join("|")})/`,
          message: "Features must not import the app shell or other features; move shared code to components, lib or hooks.",
        },
      ]),
    },
  })),
);
