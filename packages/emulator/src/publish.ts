// Publishing a finished export into its target folder as OBS would: each
// key the export writes is replaced, every other key stays. The export is
// assembled beside the target and each of its files appears there by one
// rename, whole, once it is written and closed: no reader ever sees part of
// a file of it.
import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync, type Stats } from "node:fs";
import { dirname, join } from "node:path";
import { errors } from "./errors.js";

const lstatIfAny = (path: string): Stats | undefined => {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
};

/**
 * Walks the files of `from` against `to`: refuses (before anything moves) a
 * file where the export has a folder, a folder where it has a file, and a
 * symbolic link where it has a folder, which would lead the export
 * elsewhere. `show` names a host path in messages.
 */
function checkFits(from: string, to: string, show: (path: string) => string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const existing = lstatIfAny(join(to, entry.name));
    if (!existing) continue;
    if (entry.isDirectory()) {
      if (!existing.isDirectory())
        throw errors.invalidExportPath(
          `${show(join(to, entry.name))} is ${existing.isSymbolicLink() ? "a symbolic link" : "a file"}, where the export writes a folder`,
        );
      checkFits(join(from, entry.name), join(to, entry.name), show);
    } else if (existing.isDirectory()) {
      throw errors.invalidExportPath(`${show(join(to, entry.name))} is a folder, where the export writes a file`);
    }
  }
}

function moveFiles(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    // A folder the target has is entered; one it lacks moves in whole. A
    // file replaces the file (or link itself) of its name, in one rename.
    if (entry.isDirectory() && lstatIfAny(target)?.isDirectory()) moveFiles(source, target);
    else renameSync(source, target);
  }
}

/**
 * Moves the export assembled in `from` into `to` and removes `from`. A
 * target that does not exist yet appears in one rename, whole.
 */
export function publish(from: string, to: string, show: (path: string) => string): void {
  const existing = lstatIfAny(to);
  if (!existing) {
    mkdirSync(dirname(to), { recursive: true });
    try {
      renameSync(from, to);
      return;
    } catch (error) {
      // Made meanwhile by someone else: merged into like any existing target.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error;
    }
  } else if (!existing.isDirectory()) {
    throw errors.invalidExportPath(
      `${show(to)} is ${existing.isSymbolicLink() ? "a symbolic link" : "a file"}, not a folder`,
    );
  }
  checkFits(from, to, show);
  moveFiles(from, to);
  rmSync(from, { recursive: true, force: true });
}
