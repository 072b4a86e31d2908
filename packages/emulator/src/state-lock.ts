// One emulator per --state folder: two writing the same task records would
// corrupt each other's. The lock is a file holding the owner's pid; a lock
// whose process is gone (killed, crashed) is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

export class StateLockedError extends Error {}

export interface StateLock {
  file: string;
  release(): void;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Takes `stateDir/emulator.lock`, or throws naming the lock and the process holding it. */
export function lockState(stateDir: string): StateLock {
  const file = join(stateDir, "emulator.lock");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, "wx");
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    let owner = Number.NaN;
    try {
      owner = Number.parseInt(readFileSync(file, "utf8"), 10);
    } catch {
      // removed meanwhile: try again
    }
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new StateLockedError(
        `the state folder ${stateDir} is in use by another emulator (process ${owner}, lock file ${file}); stop it or use another --state`,
      );
    }
    if (owner === process.pid) {
      throw new StateLockedError(
        `the state folder ${stateDir} is already used by an emulator in this process (lock file ${file}); close it first or use another state folder`,
      );
    }
    // Left by a process that is gone (or half written): take it over.
    rmSync(file, { force: true });
  }
  throw new StateLockedError(`could not take the lock file ${file} of the state folder ${stateDir}`);
}
