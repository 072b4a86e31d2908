// Files under --state that must survive a crash or power loss whole: the
// text goes to a temporary file, is flushed to disk, renamed over the old
// one, and the folder is flushed so that the rename itself is kept.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

function fsyncFolder(folder: string): void {
  const fd = openSync(folder, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `file` with `text`: a reader (or a restart) sees the old text or
 * the new one, never a part. `durable: false` skips the flushes, for writes
 * whose loss a crash makes harmless (progress of a task a restart fails).
 */
export function writeFileDurably(file: string, text: string, durable = true): void {
  const temp = `${file}.tmp`;
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, text);
    if (durable) fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, file);
  if (durable) fsyncFolder(dirname(file));
}

/** Removes `file` and flushes its folder, so that the removal survives a crash. */
export function removeFileDurably(file: string): void {
  rmSync(file, { force: true });
  fsyncFolder(dirname(file));
}
