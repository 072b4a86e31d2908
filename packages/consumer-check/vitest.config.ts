import { defineConfig } from "vitest/config";

// Packing, installing and running programs in child processes: slow on a busy machine.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 180_000 },
});
