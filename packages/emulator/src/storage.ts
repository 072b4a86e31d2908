// The OBS emulation: `/bucket/a/b/` and `obs://bucket/a/b` (or `s3://`)
// live at `STORAGE/bucket/a/b`. Nothing may resolve outside STORAGE:
// `..`, encoded dots, absolute host paths and symlinks are refused.
import { lstatSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

export class OutsideStorageError extends Error {}

// Keys with nothing to decode and no "." or ".." segment: the common case,
// split without the checks below.
const PLAIN_KEY = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[^%\\\0]*$/;
/**
 * Whether a key is already its own canonical path: nothing to decode, no
 * empty, "." or ".." segment (nor any segment starting with a dot, to keep
 * the test simple). Plain string searches: exports test every sample's key.
 */
const canonicalKey = (key: string): boolean =>
  key[0] !== "/" &&
  key[0] !== "." &&
  !key.endsWith("/") &&
  !key.includes("//") &&
  !key.includes("/.") &&
  !key.includes("%") &&
  !key.includes("\\") &&
  !key.includes("\0");

/** The path segments of an OBS key, refusing anything that could escape. */
function segments(key: string): string[] {
  if (PLAIN_KEY.test(key)) return key.split("/").filter((part) => part !== "");
  let decoded: string;
  try {
    decoded = decodeURIComponent(key);
  } catch {
    throw new OutsideStorageError(`"${key}" is not a valid OBS path`);
  }
  if (decoded.includes("\0") || decoded.includes("\\"))
    throw new OutsideStorageError(`"${key}" has forbidden characters`);
  const parts = decoded.split("/").filter((part) => part !== "");
  if (parts.some((part) => part === "." || part === "..")) {
    throw new OutsideStorageError(`"${key}" must not contain "." or ".." segments`);
  }
  return parts;
}

export interface Storage {
  root: string;
  /** Host path of an OBS directory or object written `/bucket/dir/...`, its existing part checked for symlinks. */
  resolve(obsPath: string): string;
  /**
   * Host path of a URI `obs://bucket/key` or `s3://bucket/key`. Only the
   * path: `checkLinks` looks at what it reaches on disk.
   */
  resolveUri(uri: string): string;
  /**
   * Refuses a host path inside storage if an existing part of it is a
   * symlink, which could point anywhere. `checkedFolders` remembers folders
   * found not to be, so that a pass over many files looks at each once.
   */
  checkLinks(hostPath: string, checkedFolders?: Set<string>): void;
  /**
   * `checkLinks` for the folders a host path lies in, each looked at once
   * per `checkedFolders`; the last part is left to whoever opens it
   * (O_NOFOLLOW). Exports check every sample's files so: plain string work
   * for a folder already seen.
   */
  checkFolders(hostPath: string, checkedFolders: Set<string>): void;
  /** The `/bucket/key` form of a host path inside storage. */
  toObsPath(hostPath: string): string;
}

export function createStorage(root: string): Storage {
  const base = resolve(root);
  const baseSlash = `${base}${sep}`;
  const upSegment = `${sep}..`;
  // `segments` leaves no ".", ".." or empty part, so joining cannot leave the base
  // (and plain concatenation is much cheaper than path.join for every file of an export).
  const joined = (parts: string[]): string => `${baseSlash}${parts.join(sep)}`;
  const checkLinks = (hostPath: string, known?: Set<string>): void => {
    const parts = hostPath.slice(baseSlash.length).split(sep);
    let current = base;
    for (const [index, part] of parts.entries()) {
      current = `${current}${sep}${part}`;
      const folder = index < parts.length - 1;
      if (folder && known?.has(current)) continue;
      try {
        if (lstatSync(current).isSymbolicLink()) throw new OutsideStorageError(`"${part}" is a symbolic link`);
      } catch (error) {
        if (error instanceof OutsideStorageError) throw error;
        break; // the rest does not exist yet
      }
      if (folder) known?.add(current);
    }
  };
  return {
    root: base,
    resolve(obsPath) {
      if (!obsPath.startsWith("/")) throw new OutsideStorageError(`"${obsPath}" must start with /bucket/`);
      const parts = segments(obsPath);
      if (parts.length === 0) throw new OutsideStorageError(`"${obsPath}" names no bucket`);
      const target = joined(parts);
      checkLinks(target);
      return target;
    },
    resolveUri(uri) {
      const key = uri.startsWith("obs://") ? uri.slice(6) : uri.startsWith("s3://") ? uri.slice(5) : "";
      if (key === "") throw new OutsideStorageError(`"${uri}" is not an obs:// or s3:// URI`);
      // Every export resolves every sample's files again: a key that is
      // already canonical needs no splitting and joining (most of the cost).
      return sep === "/" && canonicalKey(key) ? `${baseSlash}${key}` : joined(segments(key));
    },
    checkLinks,
    checkFolders(hostPath, checkedFolders) {
      const folder = hostPath.slice(0, hostPath.lastIndexOf(sep));
      if (checkedFolders.has(folder) || folder.length <= base.length) return;
      checkLinks(folder, checkedFolders);
      checkedFolders.add(folder);
    },
    toObsPath(hostPath) {
      if (hostPath.startsWith(baseSlash) && !hostPath.includes(upSegment)) {
        const rel = hostPath.slice(base.length);
        return sep === "/" ? rel : rel.split(sep).join("/");
      }
      const rel = relative(base, hostPath);
      if (rel.startsWith("..") || isAbsolute(rel)) throw new OutsideStorageError("path leaves the storage");
      return `/${rel.split(sep).join("/")}`;
    },
  };
}
