/// <reference types="vitest/config" />
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Dates in tests are rendered in UTC so relative-time assertions do not depend on the machine.
process.env.TZ = "UTC";

export default defineConfig({
  base: "./",
  plugins: [react(), tailwindcss()],
  // Keep Rust/Tauri CLI output visible when both run in one terminal.
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    watch: { ignored: ["**/src-tauri/**", "**/target/**"] },
  },
  envPrefix: ["VITE_", "TAURI_ENV_*"],
  build: {
    // Linux runs the UI in WebKitGTK 2.4x, roughly Safari 15+ in features.
    target: ["es2021", "safari15"],
    outDir: "dist",
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/testing/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    // Two cores are shared with Rust builds: a small, bounded worker pool.
    pool: "threads",
    maxWorkers: 2,
  },
});
