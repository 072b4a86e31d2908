// Where things are in the repository. Every script and test takes `root` as a
// parameter, so that it can be pointed at a scratch copy of the repository.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

/**
 * The workspace packages, from the root package.json's `workspaces`
 * (a folder, or a folder followed by `/*`): `{ name, dir, manifest }`,
 * `dir` relative to the root.
 * @param {string} [root]
 * @returns {{ name: string, dir: string, manifest: Record<string, any> }[]}
 */
export function workspacePackages(root = repoRoot) {
  const dirs = readJson(join(root, "package.json")).workspaces.flatMap((pattern) =>
    pattern.endsWith("/*")
      ? readdirSync(join(root, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern],
  );
  return dirs
    .filter((dir) => existsSync(join(root, dir, "package.json")))
    .map((dir) => {
      const manifest = readJson(join(root, dir, "package.json"));
      return { name: manifest.name, dir, manifest };
    });
}

/** The packages that are published to npm (not `private`). @param {string} [root] */
export function publicPackages(root = repoRoot) {
  return workspacePackages(root).filter((pkg) => !pkg.manifest.private);
}

/** @param {string} name @param {string} [root] */
export function findPackage(name, root = repoRoot) {
  const pkg = workspacePackages(root).find((candidate) => candidate.name === name);
  if (!pkg) throw new Error(`no workspace package is named ${name}`);
  return pkg;
}
