// Everything that makes a usage error (exit 2): the error itself and the
// parsers of flag values. Each message names the flag and the rule it broke.
import { InvalidArgumentError } from "commander";
import { durationMs, formatDuration, MAX_DURATION_MS } from "./duration.js";

/** Wrong or missing flags, found before anything is sent. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const EXIT = {
  ok: 0,
  taskFailed: 1,
  usage: 2,
  api: 3,
  /** sysexits' EX_SOFTWARE: an error the CLI did not expect. */
  internal: 70,
  timeout: 124,
  interrupted: 130,
  brokenPipe: 141,
} as const;

const INT32 = { minimum: -2147483648, maximum: 2147483647 };

/** A commander parser for an integer flag within [minimum, maximum]. */
export function integer(bounds: { minimum?: number; maximum?: number } = {}): (text: string) => number {
  const { minimum = INT32.minimum, maximum = INT32.maximum } = bounds;
  return (text) => {
    const value = text.trim();
    const n = /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < minimum || n > maximum)
      throw new InvalidArgumentError(`It must be a whole number from ${minimum} to ${maximum}.`);
    return n;
  };
}

/** A commander parser that takes one of the values the spec allows. */
export function choice<T>(choices: readonly T[]): (text: string) => T {
  return (text) => {
    const found = choices.find((c) => String(c) === text);
    if (found === undefined)
      throw new InvalidArgumentError(`It must be one of ${choices.map((c) => JSON.stringify(String(c))).join(", ")}.`);
    return found;
  };
}

/** A commander parser for a duration, in milliseconds, from `minimumMs` to 24 days. */
export function duration(minimumMs: number): (text: string) => number {
  return (text) => {
    const value = durationMs(text);
    if (value === undefined)
      throw new InvalidArgumentError("It must be a duration such as 90s, 10m or 1h, or a plain number of seconds.");
    if (value < minimumMs || value > MAX_DURATION_MS)
      throw new InvalidArgumentError(
        `It must be from ${formatDuration(minimumMs)} to ${formatDuration(MAX_DURATION_MS)}.`,
      );
    return value;
  };
}

/** A commander parser for a JSON value. */
export function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidArgumentError(`It must be JSON: ${(error as Error).message}.`);
  }
}

/** A commander parser for a comma-separated list. */
export const list = (text: string): string[] =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
