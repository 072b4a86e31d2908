// The emulator's VOC parser against fast-xml-parser on the benchmark's
// annotation files: CPU time per file, over a few rounds. Why the emulator
// keeps its own (issue: a well-kept parser only if it costs at most 30% of
// VOC throughput).
//
//   node bench/voc-parsers.mjs [--size 10000 --rounds 5]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { XMLParser } from "fast-xml-parser";
import { writeDetectionDataset } from "../dist/demo.js";
import { parseVoc } from "../dist/voc.js";

const { values } = parseArgs({
  options: { size: { type: "string", default: "10000" }, rounds: { type: "string", default: "5" } },
});
const work = mkdtempSync(join(tmpdir(), "emulator-voc-parsers-"));
try {
  writeDetectionDataset(work, { count: Number(values.size), seed: 1, dir: "/b/d/", manifestName: "d.manifest" });
  const folder = join(work, "b", "d", "annotations");
  const texts = readdirSync(folder).map((name) => readFileSync(join(folder, name), "utf8"));
  // Options that read VOC as the emulator does: text values, entities decoded, objects always a list.
  const reader = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    htmlEntities: true,
    isArray: (name) => name === "object",
  });
  const microsPerFile = (parse) => {
    const started = process.cpuUsage();
    for (const text of texts) parse(text);
    const used = process.cpuUsage(started);
    return ((used.user + used.system) / texts.length).toFixed(1);
  };
  for (let round = 1; round <= Number(values.rounds); round++) {
    const own = microsPerFile((text) => parseVoc(text, "bench.xml"));
    const theirs = microsPerFile((text) => reader.parse(text));
    console.log(`round ${round}, ${texts.length} files: emulator ${own} µs/file, fast-xml-parser ${theirs} µs/file`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
