// A scratch copy of the repository to change and build without touching the
// real one: the files git tracks (and new ones it does not ignore), optionally
// the packages' built dist/, and a node_modules of links to the real one's,
// except that the workspace packages point into the copy.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { workspacePackages } from "./paths.mjs";

const NAMESPACE = "@modelarts-export";

function linkNodeModules(root, copy) {
  const from = join(root, "node_modules");
  const to = join(copy, "node_modules");
  mkdirSync(to);
  for (const entry of readdirSync(from)) {
    if (entry !== NAMESPACE) symlinkSync(join(from, entry), join(to, entry));
  }
  mkdirSync(join(to, NAMESPACE));
  for (const pkg of workspacePackages(copy)) {
    const link = join(to, pkg.name);
    symlinkSync(relative(dirname(link), join(copy, pkg.dir)), link);
    // A package's own node_modules (versions that differ from the root's).
    const own = join(root, pkg.dir, "node_modules");
    if (existsSync(own)) symlinkSync(own, join(copy, pkg.dir, "node_modules"));
  }
}

/**
 * Copies the repository at `root` into a new temporary folder and returns
 * `{ dir, remove }`. `built: true` copies every package's dist/ too.
 */
export function createScratchCopy(root, { built = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "modelarts-export-scratch-"));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  })
    .split("\0")
    .filter((file) => file && existsSync(join(root, file)));
  for (const file of files) cpSync(join(root, file), join(dir, file), { recursive: true });
  if (built) {
    for (const pkg of workspacePackages(root)) {
      const dist = join(root, pkg.dir, "dist");
      if (existsSync(dist)) cpSync(dist, join(dir, pkg.dir, "dist"), { recursive: true });
    }
  }
  linkNodeModules(root, dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
