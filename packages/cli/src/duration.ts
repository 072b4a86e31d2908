// Durations as people write them: `90s`, `10m`, `1h`, `1.5h`, `500ms`, or a
// plain number of seconds. Parsed by `ms`; the plain number is ours, since
// `ms` reads it as milliseconds.
import ms from "ms";

/** setTimeout's limit (2^31 - 1 ms, about 24.8 days), rounded down to whole days. */
export const MAX_DURATION_MS = 24 * 24 * 60 * 60 * 1000;

const SECONDS = /^\d+(?:\.\d+)?$/;

/** Milliseconds, or undefined when the text is not a duration. */
export function durationMs(text: string): number | undefined {
  const value = text.trim();
  if (!value) return undefined;
  const result = SECONDS.test(value) ? Number(value) * 1000 : ms(value as ms.StringValue);
  return typeof result === "number" && Number.isFinite(result) ? Math.round(result) : undefined;
}

/** "1s", "10m": the shortest way `ms` writes a duration. */
export const formatDuration = (milliseconds: number): string => ms(milliseconds);
