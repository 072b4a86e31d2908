// Publishing into a target that already holds files behaves like OBS:
// keys the export writes are replaced, every other key stays; a target that
// cannot take the export fails the task before anything moves; and a reader
// in another process never sees part of a file of the export.
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ExportTaskRequest, ExportTaskStatus } from "@modelarts-export/types";
import { DEMO } from "../src/demo.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const DET = DEMO.datasets.detection.id;
const out = (...parts: string[]): string => join(h.storage, "demo-bucket", ...parts);
const put = (file: string, text: string): void => {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, text);
};
async function run(body: ExportTaskRequest): Promise<ExportTaskStatus> {
  return h.wait(DET, await h.create(DET, body));
}
const leftovers = (): string[] => readdirSync(out()).filter((name) => name.includes(".export-"));

describe("publishing into an existing target", () => {
  test("files the export writes are replaced; every other file stays, in every folder", async () => {
    put(out("pub", "JPEGImages", "someone-elses.jpg"), "theirs");
    put(out("pub", "keep.txt"), "kept");
    put(out("pub", "ImageSets", "Main", "train.txt"), "old list\n");
    put(out("pub", "ImageSets", "Main", "notes.txt"), "notes\n");
    put(out("pub", "labelmap.txt"), "old map\n");
    expect((await run({ path: "/demo-bucket/pub/", export_type: 0, annotation_format: "VOC" })).status).toBe(
      "SUCCESSED",
    );
    expect(readFileSync(out("pub", "JPEGImages", "someone-elses.jpg"), "utf8")).toBe("theirs");
    expect(readFileSync(out("pub", "keep.txt"), "utf8")).toBe("kept");
    expect(readFileSync(out("pub", "ImageSets", "Main", "notes.txt"), "utf8")).toBe("notes\n");
    const train = readFileSync(out("pub", "ImageSets", "Main", "train.txt"), "utf8");
    expect(train).not.toContain("old list");
    expect(train.split("\n").filter(Boolean).length).toBeGreaterThan(10);
    expect(readFileSync(out("pub", "labelmap.txt"), "utf8")).toMatch(/^# label:color_rgb:parts:actions\n/);
    // The export's own files are all there, beside the other ones.
    expect(readdirSync(out("pub", "JPEGImages")).length).toBe(readdirSync(out("pub", "Annotations")).length + 1);
    expect(leftovers()).toEqual([]);

    // Exported again: its files replaced in place, the others still kept.
    const firstAnnotation = readdirSync(out("pub", "Annotations"))[0] as string;
    put(out("pub", "Annotations", firstAnnotation), "stale");
    expect((await run({ path: "/demo-bucket/pub/", export_type: 0, annotation_format: "VOC" })).status).toBe(
      "SUCCESSED",
    );
    expect(readFileSync(out("pub", "Annotations", firstAnnotation), "utf8")).toContain("<annotation>");
    expect(readFileSync(out("pub", "JPEGImages", "someone-elses.jpg"), "utf8")).toBe("theirs");
  });

  test("a file where the export writes a folder fails the task with ModelArts.4358, and nothing moves", async () => {
    put(out("clash", "JPEGImages"), "a file, not a folder");
    const task = await run({ path: "/demo-bucket/clash/", export_type: 0, annotation_format: "VOC" });
    expect([task.status, task.error_code]).toEqual(["FAILED", "ModelArts.4358"]);
    expect(task.error_msg).toContain("/demo-bucket/clash/JPEGImages is a file, where the export writes a folder");
    expect(readdirSync(out("clash"))).toEqual(["JPEGImages"]);
    expect(leftovers()).toEqual([]);
  });

  test("a symbolic link in the target is never followed: the task fails and nothing is written through it", async () => {
    const outside = mkdtempSync(join(tmpdir(), "emulator-outside-"));
    try {
      mkdirSync(out("linked"), { recursive: true });
      symlinkSync(outside, out("linked", "JPEGImages"));
      const task = await run({ path: "/demo-bucket/linked/", export_type: 0, annotation_format: "VOC" });
      expect([task.status, task.error_code]).toEqual(["FAILED", "ModelArts.4358"]);
      expect(task.error_msg).toContain("/demo-bucket/linked/JPEGImages is a symbolic link");
      expect(readdirSync(outside)).toEqual([]);
      expect(readdirSync(out("linked"))).toEqual(["JPEGImages"]);

      // The target itself a link: refused when the task is created, or when it publishes.
      symlinkSync(outside, out("linked-target"));
      const reply = await h.call("POST", `/v2/${DEMO.projectId}/datasets/${DET}/export-tasks`, {
        body: { path: "/demo-bucket/linked-target/", export_type: 0, annotation_format: "COCO" },
      });
      expect([reply.status, reply.body.error_code]).toEqual([400, "ModelArts.4358"]);
      expect(readdirSync(outside)).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    expect(leftovers()).toEqual([]);
  });
});

describe("a reader in another process never sees part of a file of the export", () => {
  test("while the same target is exported again and again", async () => {
    const target = out("watched");
    const stop = join(h.storage, "stop-reading");
    // Reads every file under the target in a loop, until told to stop (at
    // most 60 s), and reports each one that is not whole: COCO JSON that
    // does not parse, a VOC XML or split file that does not end as written.
    const reader = spawn(
      process.execPath,
      [
        "-e",
        `
const fs = require("node:fs");
const path = require("node:path");
const [target, stop] = process.argv.slice(1);
const bad = [];
let reads = 0;
const walk = (dir) => {
  let entries = [];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) { walk(file); continue; }
    let text;
    try { text = fs.readFileSync(file, "utf8"); } catch { continue; }
    reads++;
    if (file.endsWith(".json")) { try { JSON.parse(text); } catch { bad.push(file + " " + text.length); } }
    else if (file.endsWith(".xml") && !text.endsWith("</annotation>\\n")) bad.push(file);
    else if (file.endsWith(".txt") && text !== "" && !text.endsWith("\\n")) bad.push(file);
  }
};
const until = Date.now() + 60000;
while (!fs.existsSync(stop) && Date.now() < until) walk(target);
console.log(JSON.stringify({ reads, bad: bad.slice(0, 10), badCount: bad.length }));
`,
        target,
        stop,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    let report = "";
    reader.stdout.on("data", (chunk: Buffer) => (report += chunk.toString()));
    const ended = new Promise<void>((resolve) => reader.on("exit", () => resolve()));
    try {
      for (let i = 0; i < 4; i++) {
        const format = i % 2 ? "VOC" : "COCO";
        const task = await run({ path: "/demo-bucket/watched/", export_type: 2, annotation_format: format });
        expect(task.status).toBe("SUCCESSED");
      }
    } finally {
      writeFileSync(stop, "");
      await ended;
    }
    const { reads, bad, badCount } = JSON.parse(report) as { reads: number; bad: string[]; badCount: number };
    expect(bad).toEqual([]);
    expect(badCount).toBe(0);
    expect(reads).toBeGreaterThan(0);
    expect(existsSync(join(target, "annotations", "instances_train.json"))).toBe(true);
  });
});
