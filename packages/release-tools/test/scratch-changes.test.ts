// The acceptance cases, each in a scratch copy of the repository:
// - a field added to a response schema and one removed from a request schema:
//   the spec check and the compatibility check (the 0.1.0 consumer programs)
//   call the first non-breaking and the second breaking, until a major
//   changeset declares it;
// - an exported type of the client changed: the API report check fails with
//   the report's diff.
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { breaksByPackage, COMPAT_DIR, compatVersions, typeCheckPrograms } from "../src/compat.mjs";
import { requireMajor } from "../src/changesets.mjs";
import { repoRoot } from "../src/paths.mjs";
import { checkSpecAgainstRelease } from "../src/released.mjs";
import { createScratchCopy } from "../src/scratch.mjs";

const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
const scratches: { remove(): void }[] = [];
afterAll(() => scratches.forEach((scratch) => scratch.remove()));

/**
 * A built scratch copy with `edit` applied to the YAML of a schema, rebuilt.
 * The copy starts as if the current state had just been released as 0.1.0: its
 * built spec is the released one, its consumer programs the compat ones, and no
 * changeset is pending, so only `edit` is judged, whatever changes the
 * repository itself has in hand.
 */
function scratchWithSchema(schema: string, edit: (doc: { properties: Record<string, unknown> }) => void) {
  const scratch = createScratchCopy(repoRoot, { built: true });
  scratches.push(scratch);
  const released = join(scratch.dir, "openapi/released");
  for (const name of readdirSync(released)) rmSync(join(released, name));
  copyFileSync(join(scratch.dir, "openapi/dist/openapi.json"), join(released, "0.1.0.json"));
  const compat = join(scratch.dir, COMPAT_DIR);
  rmSync(compat, { recursive: true });
  cpSync(join(scratch.dir, "packages/consumer-check/fixtures"), join(compat, "0.1.0"), { recursive: true });
  const changesets = join(scratch.dir, ".changeset");
  for (const name of readdirSync(changesets))
    if (name.endsWith(".md") && name !== "README.md") rmSync(join(changesets, name));
  const file = join(scratch.dir, "openapi/components/schemas", `${schema}.yaml`);
  const doc = parse(readFileSync(file, "utf8"));
  edit(doc);
  writeFileSync(file, stringify(doc));
  for (const script of ["bundle-spec.mjs", "generate-types.mjs"]) {
    execFileSync(process.execPath, [join(scratch.dir, "scripts", script)], { cwd: scratch.dir, stdio: "pipe" });
  }
  return scratch.dir;
}

/** Both checks in `root`: `{ spec, compat }` verdicts. */
async function checks(root: string) {
  const spec = await checkSpecAgainstRelease(root);
  const version = compatVersions(root).at(-1) as string;
  const programs = join(root, "compat-run");
  cpSync(join(root, COMPAT_DIR, version), programs, { recursive: true });
  const breaks = breaksByPackage(version, typeCheckPrograms(programs, tsc));
  const compat = await requireMajor(
    root,
    "@modelarts-export/types",
    breaks.get("@modelarts-export/types") ?? [],
    "compat",
  );
  return { spec, compat, breaks };
}

function addMajorChangeset(root: string, name: string) {
  writeFileSync(
    join(root, ".changeset", "remove-export-dest.md"),
    `---\n"${name}": major\n---\n\nexport_params.export_dest is gone: export OBS only.\n`,
  );
}

describe("in a scratch copy", () => {
  test("a field added to a response schema: both checks call it non-breaking", async () => {
    const root = scratchWithSchema("ExportTaskStatus", (doc) => {
      doc.properties.queue_position = { type: "integer", description: "Place in the queue." };
    });
    const { spec, compat } = await checks(root);
    expect(spec.changes.map((change: { type: string }) => change.type)).toContain("non-breaking");
    expect(spec).toMatchObject({ ok: true, message: expect.stringContaining("nothing breaks") });
    expect(compat.ok).toBe(true);
  }, 240_000);

  test("a field removed from a request schema: both checks call it breaking until a major changeset", async () => {
    const root = scratchWithSchema("ExportParams", (doc) => {
      delete doc.properties.export_dest;
    });
    const { spec, compat, breaks } = await checks(root);
    expect(spec.ok).toBe(false);
    expect(spec.message).toContain("export_params.export_dest");
    expect(spec.message).toContain("major changeset of @modelarts-export/openapi");
    expect(compat.ok).toBe(false);
    expect(breaks.get("@modelarts-export/types")?.join("\n")).toMatch(
      /types-consumer\.ts no longer compiles[\s\S]*export_dest/,
    );

    // One major changeset of the spec: the fixed group takes the types to a major too.
    addMajorChangeset(root, "@modelarts-export/openapi");
    const declared = await checks(root);
    expect(declared.spec).toMatchObject({
      ok: true,
      message: expect.stringContaining("declared by a major changeset"),
    });
    expect(declared.compat).toMatchObject({ ok: true, message: expect.stringContaining("export OBS only") });
  }, 240_000);
});
