// The spec's info.version is @modelarts-export/openapi's version, and the
// types and the client record it (package.json and exported names).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { SPEC_VERSION, USER_AGENT, VERSION } from "@modelarts-export/client";
import type { SpecVersion } from "@modelarts-export/types";
import { findPackage, readJson, repoRoot } from "../src/paths.mjs";
import { setInfoVersion, staleVersionFiles } from "../src/versions.mjs";

const version = (name: string) => findPackage(name).manifest.version as string;
const specVersion = version("@modelarts-export/openapi");

// Compiled by `npm run lint`: the exported type is the client's constant.
const sameAsClient: SpecVersion = SPEC_VERSION;
const sameAsTypes: typeof SPEC_VERSION = sameAsClient;

describe("one spec version", () => {
  test("info.version of the source and of the bundled spec is the openapi package's version", () => {
    expect(readFileSync(join(repoRoot, "openapi/openapi.yaml"), "utf8")).toMatch(
      new RegExp(`^info:\\n(?: .*\\n)*?  version: ${specVersion.replaceAll(".", "\\.")}\\n`, "m"),
    );
    expect(readJson(join(repoRoot, "openapi/dist/openapi.json")).info.version).toBe(specVersion);
  });

  test("the types, docs and openapi packages carry one version (a fixed Changesets group)", () => {
    expect(version("@modelarts-export/types")).toBe(specVersion);
    expect(version("@modelarts-export/docs")).toBe(specVersion);
    const config = readJson(join(repoRoot, ".changeset/config.json"));
    expect(config.fixed).toContainEqual(
      expect.arrayContaining(["@modelarts-export/openapi", "@modelarts-export/types", "@modelarts-export/docs"]),
    );
  });

  test("types and client record the spec version in package.json", () => {
    for (const name of ["@modelarts-export/types", "@modelarts-export/client"]) {
      expect(findPackage(name).manifest["modelarts-export"]).toEqual({ specVersion });
    }
  });

  test("the client exports its own and the spec's version and sends them as User-Agent", () => {
    expect(VERSION).toBe(version("@modelarts-export/client"));
    expect(sameAsTypes).toBe(specVersion);
    expect(USER_AGENT).toBe(`modelarts-export-client/${VERSION} (spec ${specVersion})`);
  });

  test("no generated version file is stale (what check-generated runs)", () => {
    expect(staleVersionFiles(repoRoot)).toEqual([]);
  });
});

describe("setInfoVersion", () => {
  const spec = "openapi: 3.1.0\ninfo:\n  title: T\n  contact:\n    version: nested\n  version: 0.1.0\npaths: {}\n";

  test("changes the version line of info only", () => {
    expect(setInfoVersion(spec, "1.2.3")).toBe(spec.replace("  version: 0.1.0", "  version: 1.2.3"));
  });

  test("says what is missing", () => {
    expect(() => setInfoVersion("openapi: 3.1.0\n", "1.0.0")).toThrow("no top-level `info:` block");
    expect(() => setInfoVersion("info:\n  title: T\npaths: {}\n", "1.0.0")).toThrow("has no `version:`");
  });
});
