// Flag values as users write them, parsed in-process.
import { InvalidArgumentError } from "commander";
import { describe, expect, test } from "vitest";
import { durationMs, MAX_DURATION_MS } from "../src/duration.js";
import { choice, duration, integer, json, list } from "../src/usage.js";

describe("durations", () => {
  test.each([
    ["90s", 90_000],
    ["10m", 600_000],
    ["1h", 3_600_000],
    ["1.5h", 5_400_000],
    ["500ms", 500],
    ["2 days", 172_800_000],
    ["30", 30_000],
    ["2.5", 2_500],
    [" 10m ", 600_000],
  ])("%j is %i ms", (text, expected) => {
    expect(durationMs(text)).toBe(expected);
  });

  test.each(["", "10x", "ten minutes", "1e3", "Infinity", "NaN", "m", "10 m s"])("%j is not a duration", (text) => {
    expect(durationMs(text)).toBeUndefined();
  });

  test("bounds: at least the floor, at most 24 days (setTimeout's limit)", () => {
    const parse = duration(1000);
    expect(parse("1s")).toBe(1000);
    expect(parse("24d")).toBe(MAX_DURATION_MS);
    expect(MAX_DURATION_MS).toBeLessThan(2 ** 31);
    expect(() => parse("999ms")).toThrow(/It must be from 1s to 24d/);
    expect(() => parse("-1h")).toThrow(/It must be from 1s to 24d/);
    expect(() => parse("25d")).toThrow(/It must be from 1s to 24d/);
    expect(() => parse("soon")).toThrow(InvalidArgumentError);
  });
});

describe("integers, choices, JSON, lists", () => {
  test("whole numbers within bounds, int32 by default", () => {
    const limit = integer({ minimum: 1, maximum: 100 });
    expect(limit("1")).toBe(1);
    expect(limit("100")).toBe(100);
    expect(limit("+7")).toBe(7);
    for (const bad of ["0", "101", "1.5", "1e2", "0x10", "", " ", "ten"])
      expect(() => limit(bad), bad).toThrow(/It must be a whole number from 1 to 100/);
    expect(integer()("-2147483648")).toBe(-2147483648);
    expect(() => integer()("2147483648")).toThrow(/from -2147483648 to 2147483647/);
  });

  test("choices are matched exactly and listed in the message", () => {
    const format = choice(["VOC", "COCO"]);
    expect(format("COCO")).toBe("COCO");
    expect(() => format("coco")).toThrow('It must be one of "VOC", "COCO".');
    expect(choice(["", "__ALL__"])("")).toBe("");
  });

  test("JSON and comma lists", () => {
    expect(json('[{"sample_dir": "/b/"}]')).toEqual([{ sample_dir: "/b/" }]);
    expect(() => json("{oops")).toThrow(/It must be JSON/);
    expect(list("a, b,,c ")).toEqual(["a", "b", "c"]);
  });
});
