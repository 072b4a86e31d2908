// The Stainless-style compatibility check: programs written against a released
// version (packages/consumer-check/compat/<version>/) must keep type-checking
// against the new build. A program that no longer compiles is a breaking change
// of the package it imports, which then needs a major changeset.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compare } from "semver";

export const COMPAT_DIR = "packages/consumer-check/compat";

/** The strict settings consumers use, for both module resolutions. */
export const consumerCompilerOptions = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  verbatimModuleSyntax: true,
  skipLibCheck: false,
  noEmit: true,
  types: [],
  lib: ["ES2022", "DOM"],
};

/** Released versions with frozen programs, oldest first. */
export function compatVersions(root) {
  return readdirSync(join(root, COMPAT_DIR))
    .filter((name) => /^\d+\.\d+\.\d+$/.test(name))
    .sort(compare);
}

/** The package a frozen program is written against, from its imports. */
export function importedPackages(source) {
  return [...new Set([...source.matchAll(/from "(@modelarts-export\/[a-z-]+)"/g)].map((match) => match[1]))];
}

/**
 * Type-checks each TypeScript program of `dir` on its own (so that a failure
 * names the package that broke it) with the compiler at `tsc`.
 * Returns `[{ file, packages, ok, output }]`.
 */
export function typeCheckPrograms(dir, tsc) {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".ts"))
    .map((file) => {
      const config = join(dir, `tsconfig.${file}.json`);
      writeFileSync(config, JSON.stringify({ compilerOptions: consumerCompilerOptions, files: [file] }));
      const packages = importedPackages(readFileSync(join(dir, file), "utf8"));
      try {
        execFileSync(process.execPath, [tsc, "-p", config], { cwd: dir, encoding: "utf8", stdio: "pipe" });
        return { file, packages, ok: true, output: "" };
      } catch (error) {
        return { file, packages, ok: false, output: `${error.stdout ?? ""}${error.stderr ?? ""}`.trim() };
      }
    });
}

/** Per package, the lines saying which frozen programs it broke and how. */
export function breaksByPackage(version, results) {
  const breaks = new Map();
  for (const result of results.filter((r) => !r.ok)) {
    for (const name of result.packages) {
      const line = `compat/${version}/${result.file} no longer compiles:\n${result.output.replace(/^/gm, "      ")}`;
      breaks.set(name, [...(breaks.get(name) ?? []), line]);
    }
  }
  return breaks;
}
