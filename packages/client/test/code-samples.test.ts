// The TypeScript samples shown in the docs (x-codeSamples) are real files:
// this type-checks them against the built client, so the docs cannot drift
// from the code, and checks that the bundled spec carries them verbatim.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const samples = fileURLToPath(new URL("../../../openapi/code_samples/", import.meta.url));
const tsc = fileURLToPath(new URL("../../../node_modules/typescript/bin/tsc", import.meta.url));
const tsconfig = fileURLToPath(new URL("./code-samples/tsconfig.json", import.meta.url));
const spec = JSON.parse(
  readFileSync(fileURLToPath(new URL("../../../openapi/dist/openapi.json", import.meta.url)), "utf8"),
) as {
  paths: Record<string, Record<string, { operationId?: string; "x-codeSamples"?: { lang: string; source: string }[] }>>;
};

describe("code samples", () => {
  test("type-check against @modelarts-export/client", () => {
    // Throws with the compiler's errors if a sample no longer compiles.
    expect(execFileSync(process.execPath, [tsc, "-p", tsconfig], { encoding: "utf8" })).toBe("");
  });

  const operations = Object.values(spec.paths).flatMap((item) =>
    Object.values(item).filter((op) => typeof op === "object" && op.operationId),
  );
  test.each(["createExportTask", "listExportTasks", "getExportTask"])(
    "%s shows the TypeScript and curl samples verbatim",
    (operationId) => {
      const operation = operations.find((op) => op.operationId === operationId);
      const bySource = Object.fromEntries((operation?.["x-codeSamples"] ?? []).map((s) => [s.lang, s.source]));
      expect(bySource.TypeScript).toBe(readFileSync(`${samples}TypeScript/${operationId}.ts`, "utf8"));
      expect(bySource.Shell).toBe(readFileSync(`${samples}curl/${operationId}.sh`, "utf8"));
    },
  );

  test("every sample file belongs to an operation", () => {
    expect(readdirSync(`${samples}TypeScript`).sort()).toEqual([
      "createExportTask.ts",
      "getExportTask.ts",
      "listExportTasks.ts",
    ]);
  });
});
