// `engines.node` tells the truth: every published package of the repository
// that runs on Node declares it, and each of its run-time dependencies, all
// the way down as package-lock.json resolves them, accepts every Node version
// the package claims (commander 15, for one, needs Node 22.12).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import semver from "semver";
import { expect, test } from "vitest";

interface LockEntry {
  name?: string;
  version?: string;
  private?: boolean;
  link?: boolean;
  resolved?: string;
  dev?: boolean;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: unknown;
}

const root = fileURLToPath(new URL("../../../", import.meta.url));
const lock = JSON.parse(readFileSync(`${root}package-lock.json`, "utf8")) as {
  packages: Record<string, LockEntry>;
};

/** Where Node finds `name` from the package at `from`: its node_modules, then each parent's. */
function locate(from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
    const entry = lock.packages[candidate];
    if (entry) return entry.link ? (entry.resolved as string) : candidate;
    if (!dir) return undefined;
    const up = dir.lastIndexOf("/node_modules/");
    dir = up >= 0 ? dir.slice(0, up) : dir.includes("/") ? dir.slice(0, dir.lastIndexOf("/")) : "";
  }
}

/** Every package a package needs at run time, with the path that led to it. */
function runtimeClosure(start: string): Map<string, string[]> {
  const seen = new Map<string, string[]>([[start, []]]);
  const queue = [start];
  while (queue.length) {
    const at = queue.shift() as string;
    const entry = lock.packages[at] as LockEntry;
    const required = Object.keys({ ...entry.dependencies, ...entry.optionalDependencies });
    const peers = Object.keys(entry.peerDependencies ?? {}).filter((p) => !entry.peerDependenciesMeta?.[p]?.optional);
    for (const name of [...required, ...peers]) {
      const found = locate(at, name);
      if (found === undefined) {
        if (entry.optionalDependencies?.[name]) continue;
        throw new Error(`${at} needs ${name}, which package-lock.json does not have`);
      }
      if (seen.has(found)) continue;
      seen.set(found, [...(seen.get(at) ?? []), name]);
      queue.push(found);
    }
  }
  seen.delete(start);
  return seen;
}

const workspaces = Object.entries(lock.packages).filter(
  ([path, entry]) => path !== "" && !path.includes("node_modules/") && !entry.private,
);

test("the lock file lists the published packages", () => {
  expect(workspaces.map(([, entry]) => entry.name)).toEqual(
    expect.arrayContaining(["@modelarts-export/cli", "@modelarts-export/client", "@modelarts-export/emulator"]),
  );
});

test.each(workspaces.map(([path, entry]) => [entry.name as string, path] as const))(
  "%s: engines.node holds for every run-time dependency",
  (_name, path) => {
    const entry = lock.packages[path] as LockEntry;
    const closure = runtimeClosure(path);
    const runsOnNode = entry.bin !== undefined || closure.size > 0 || entry.engines?.node !== undefined;
    if (!runsOnNode) return;
    const claimed = entry.engines?.node;
    expect(claimed, `${path} has run-time code or dependencies but no engines.node`).toBeDefined();
    expect(semver.validRange(claimed), `${path}: engines.node "${claimed}" is not a semver range`).not.toBeNull();
    // This very Node is one the package claims, so the tests prove something.
    expect(semver.satisfies(process.version, claimed as string)).toBe(true);
    const broken = [...closure]
      .filter(([dep]) => {
        const needs = lock.packages[dep]?.engines?.node;
        return needs !== undefined && !semver.subset(claimed as string, needs);
      })
      .map(([dep, via]) => `${via.join(" > ")} needs node ${lock.packages[dep]?.engines?.node}`);
    expect(broken, `${path} claims node ${claimed}`).toEqual([]);
  },
);

test("the check catches a dependency that needs a newer Node", () => {
  // commander 15 (Node >= 22.12) under a package that claims Node 20.
  expect(semver.subset(">=20", ">=22.12.0")).toBe(false);
  expect(semver.subset(">=20", ">=20")).toBe(true);
  expect(semver.subset(">=20", ">=4")).toBe(true);
});
