import { defineConfig } from "vitest/config";

export default defineConfig({
  // Chromium takes a few seconds to start on a 2-core machine.
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
});
