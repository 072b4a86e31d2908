import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { afterAll, describe, expect, test } from "vitest";
import { authenticate, canonicalQuery, canonicalUri } from "../src/auth.js";
import { sampleTimeRange } from "../src/select.js";
import { createStorage, OutsideStorageError } from "../src/storage.js";
import { parseVoc, vocBoxes, writeVoc, type VocAnnotation, type VocObject } from "../src/voc.js";
import { encodePng, pngSize } from "../src/png.js";
import { isApiError } from "../src/errors.js";
import { loadDataset, samplesOf, type Sample } from "../src/dataset.js";
import { createSplitter } from "../src/split.js";
import { createBloomFilter, hash31 } from "../src/bloom-filter.js";
import { startFileThreads } from "../src/threads.js";
import { flatNames } from "../src/exporters.js";

describe("AK/SK verification against the published vectors", () => {
  const at = (date: string): number =>
    Date.UTC(
      +date.slice(0, 4),
      +date.slice(4, 6) - 1,
      +date.slice(6, 8),
      +date.slice(9, 11),
      +date.slice(11, 13),
      +date.slice(13, 15),
    );

  test("vector 1: GET with a query and content-type signed", async () => {
    const credentials = {
      tokens: new Map(),
      keys: new Map([
        ["QTWAOYTTINDUT2QVKYUC", { secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc", projectId: "p1" }],
      ]),
    };
    const request = {
      method: "GET",
      url: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
      headers: {
        host: "service.region.example.com",
        "content-type": "application/json",
        "x-sdk-date": "20191115T033655Z",
        authorization:
          "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
      },
      body: Buffer.alloc(0),
    };
    await expect(authenticate(request, credentials, at("20191115T033655Z"))).resolves.toBe("p1");
    const tampered = { ...request, url: request.url.replace("limit=2", "limit=3") };
    await expect(authenticate(tampered, credentials, at("20191115T033655Z"))).rejects.toMatchObject({ status: 401 });
  });

  test("vector 2: host and x-sdk-date only", async () => {
    const credentials = {
      tokens: new Map(),
      keys: new Map([["AccessKey", { secretKey: "SecretKey", projectId: "p2" }]]),
    };
    const request = {
      method: "GET",
      url: "/resources?size=1",
      headers: {
        host: "service.endpoint.myhuaweicloud.com",
        "x-sdk-date": "20200608T023900Z",
        authorization:
          "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842",
      },
      body: Buffer.alloc(0),
    };
    await expect(authenticate(request, credentials, at("20200608T023900Z"))).resolves.toBe("p2");
    // More than 15 minutes of skew is refused.
    let caught: unknown;
    try {
      await authenticate(request, credentials, at("20200608T023900Z") + 16 * 60_000);
    } catch (error) {
      caught = error;
    }
    expect(isApiError(caught) && caught.body.error_code).toBe("APIGW.0301");
  });

  test("canonical URI and query edge cases", () => {
    expect(canonicalUri("/v2/p/datasets/a%20b/export-tasks")).toBe("/v2/p/datasets/a%20b/export-tasks/");
    expect(canonicalUri("/v2/%E6%95%B0/x/")).toBe("/v2/%E6%95%B0/x/");
    expect(canonicalUri("/a/b~c_d.e-f")).toBe("/a/b~c_d.e-f/");
    expect(canonicalQuery("b=2&a=1&a=0&c=")).toBe("a=0&a=1&b=2&c=");
    expect(canonicalQuery("q=a%2Fb&x=%e4%b8%ad")).toBe("q=a%2Fb&x=%E4%B8%AD");
    expect(canonicalQuery("")).toBe("");
  });
});

describe("storage never reaches outside its folder", () => {
  const root = mkdtempSync(join(tmpdir(), "emu-storage-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const storage = createStorage(root);
  mkdirSync(join(root, "bucket", "real"), { recursive: true });
  symlinkSync("/etc", join(root, "bucket", "link"));

  test.each([
    ["/bucket/../../etc/", "dot segments"],
    ["/bucket/%2e%2e/%2e%2e/etc/", "encoded dot segments"],
    ["/bucket/link/passwd", "a symlink"],
    ["etc/passwd", "no leading slash"],
    ["/", "no bucket"],
    ["/bucket/a\\..\\..\\b/", "backslashes"],
  ])("%s is refused (%s)", (path) => {
    expect(() => storage.resolve(path)).toThrow(OutsideStorageError);
  });

  test("normal paths and URIs resolve inside", () => {
    expect(storage.resolve("/bucket/real/x/")).toBe(join(root, "bucket", "real", "x"));
    expect(storage.resolveUri("obs://bucket/real/a.png")).toBe(join(root, "bucket", "real", "a.png"));
    expect(storage.resolveUri("s3://bucket/real/a.png")).toBe(join(root, "bucket", "real", "a.png"));
    expect(() => storage.resolveUri("file:///etc/passwd")).toThrow(OutsideStorageError);
    expect(() => storage.resolveUri("obs://")).toThrow(OutsideStorageError);
  });

  // A quicker path for keys already canonical: every key must resolve, or be
  // refused, exactly as its segments say.
  test.each([
    "obs://bucket/real/a.png",
    "s3://bucket/real/a.png",
    "obs://bucket//real/a.png",
    "obs:///bucket/real/a.png",
    "obs://bucket/real/",
    "obs://bucket/real/%61.png",
    "obs://bucket/./real/a.png",
    "obs://bucket/real/../../../etc/passwd",
    "obs://bucket/%2e%2e/%2e%2e/etc/passwd",
    "obs://bucket/real\\..\\..\\etc",
    "obs://bucket/real/..a/.b/a..",
  ])("%s resolves as its segments say", (uri) => {
    const outcome = (resolve: () => string) => {
      try {
        return resolve();
      } catch (error) {
        return error instanceof OutsideStorageError ? "refused" : error;
      }
    };
    expect(outcome(() => storage.resolveUri(uri))).toBe(outcome(() => storage.resolve(`/${uri.split("://")[1]}`)));
  });

  test("a symlink anywhere along an existing path is refused; what does not exist yet is not", () => {
    expect(() => storage.checkLinks(storage.resolveUri("obs://bucket/link/passwd"))).toThrow(
      '"link" is a symbolic link',
    );
    expect(() => storage.checkLinks(storage.resolveUri("obs://bucket/real/new/file.png"))).not.toThrow();
  });
});

describe("the seeded train/validation split", () => {
  const samples = Array.from({ length: 1001 }, (_, i) => ({ id: `s-${i}`, usage: i % 3 ? "TRAIN" : "EVAL" }) as Sample);
  const split = (items: Sample[], seed: string, ratio = 0.8): string[] => {
    const splitter = createSplitter({ ratio, random: true, seed });
    for (const sample of items) splitter.add(sample);
    return samples.map((sample) => splitter.usageOf(sample));
  };

  test.each([0, 0.01, 0.5, 0.8, 0.999, 1])("ratio %s trains exactly round(n * ratio) samples", (ratio) => {
    const usages = split(samples, "seed", ratio);
    expect(usages.filter((u) => u === "TRAIN").length).toBe(Math.round(samples.length * ratio));
  });

  test("the same seed splits the same way whatever the order; another seed differently", () => {
    const first = split(samples, "dataset-a");
    expect(split([...samples].reverse(), "dataset-a")).toEqual(first);
    expect(split(samples, "dataset-b")).not.toEqual(first);
  });

  test("without ratio_sample_usage each sample keeps its manifest usage", () => {
    const splitter = createSplitter({ ratio: 0.5, random: false, seed: "x" });
    expect(samples.slice(0, 4).map((s) => splitter.usageOf(s))).toEqual(["EVAL", "TRAIN", "TRAIN", "EVAL"]);
  });
});

describe("file threads", () => {
  test("reading threads parse VOC files and image headers, in the order asked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-threads-"));
    const threads = startFileThreads();
    try {
      const voc: VocAnnotation = {
        folder: "f",
        filename: "a.png",
        width: 40,
        height: 30,
        depth: 3,
        objects: [
          {
            ...{ name: "cat & <dog>", pose: "Left", truncated: true, occluded: false, difficult: true },
            ...{ xmin: 1, ymin: 2, xmax: 40, ymax: 30, properties: { color: "red\0blue" } },
          },
        ],
      };
      writeFileSync(join(dir, "a.xml"), writeVoc(voc));
      writeFileSync(join(dir, "a.png"), encodePng(40, 30, [0, 0, 0]));
      writeFileSync(join(dir, "b.txt"), "not an image");
      writeFileSync(join(dir, "bad.xml"), "<annotation><size><width>x</width></size></annotation>");
      const read = await threads.read([
        { image: join(dir, "a.png") },
        { voc: join(dir, "a.xml") },
        { image: join(dir, "b.txt") },
        { boxes: join(dir, "a.xml") },
      ]);
      expect(read).toEqual([{ width: 40, height: 30 }, parseVoc(writeVoc(voc), "a.xml"), null, vocBoxes(voc)]);
      expect(read[1]).toEqual(voc);
      expect(read[3]).toEqual({ width: 40, height: 30, names: ["cat & <dog>"], corners: [1, 2, 40, 30] });
      // Past the reading buffer's 64 KiB, the file is read whole.
      const big = { ...voc, objects: Array.from({ length: 400 }, () => voc.objects[0] as VocObject) };
      writeFileSync(join(dir, "big.xml"), writeVoc(big));
      expect(statSync(join(dir, "big.xml")).size).toBeGreaterThan(64 * 1024);
      expect(await threads.read([{ voc: join(dir, "big.xml") }])).toEqual([big]);
      await expect(threads.read([{ voc: join(dir, "bad.xml") }])).rejects.toThrow(`${join(dir, "bad.xml")}: <width>`);
      await expect(threads.read([{ boxes: join(dir, "bad.xml") }])).rejects.toThrow(`${join(dir, "bad.xml")}: <width>`);
      await expect(threads.read([{ voc: join(dir, "missing.xml") }])).rejects.toMatchObject({ code: "ENOENT" });
      await expect(threads.read([{ image: "a\0b" }])).rejects.toThrow(/NUL/);
    } finally {
      await threads.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the files thread writes and links in order; NUL in a text never shifts the other fields", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-threads-"));
    const threads = startFileThreads();
    try {
      writeFileSync(join(dir, "b.xml"), "second");
      const output = threads.output();
      output.write(join(dir, "out.txt"), "x\0y");
      output.link(join(dir, "b.xml"), join(dir, "linked.xml"));
      output.sampleDone();
      expect(await output.flush()).toBe(1);
      expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("x\uFFFDy");
      expect(statSync(join(dir, "linked.xml")).ino).toBe(statSync(join(dir, "b.xml")).ino);
      expect(() => output.link(join(dir, "b.xml"), join(dir, "c\0d"))).toThrow(/NUL/);
      output.link(join(dir, "missing.png"), join(dir, "nowhere.png"));
      await expect(output.flush()).rejects.toMatchObject({ code: "ENOENT" });
    } finally {
      await threads.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("Bloom filters and flat names", () => {
  test("never miss a text that was added; rarely claim one that was not", () => {
    const filter = createBloomFilter();
    for (let i = 0; i < 50_000; i++) filter.add(`sample-${i}`);
    expect(Array.from({ length: 50_000 }, (_, i) => filter.has(`sample-${i}`)).every(Boolean)).toBe(true);
    const false_ = Array.from({ length: 50_000 }, (_, i) => filter.has(`other-${i}`)).filter(Boolean).length;
    expect(false_).toBeLessThan(10); // equal 31-bit hashes, about 1, plus Bloom false yeses, about 0.3
    expect(hash31("a")).not.toBe(hash31("b"));
  });

  test("flat names never share a stem, even with a sample already named like another's longer name", () => {
    const names = flatNames();
    const sample = (id: string, name: string) => ({ id, name }) as Sample;
    const given = [
      sample("1", "a.png"),
      sample("x", "2_a.png"), // what sample 2 would become
      sample("2", "a.png"),
      sample("3", "b.png"),
      sample("4", "2_a.png"),
      sample("5", "a.jpg"), // same stem as a.png
      sample("6", "a"),
      sample("dir/7", "b.jpg"), // ids may hold separators
    ].map(names);
    expect(given).toEqual(["a.png", "2_a.png", "2_2_a.png", "b.png", "4_2_a.png", "5_a.jpg", "6_a", "dir_7_b.jpg"]);
    const stems = given.map((name) => name.replace(/\.[^.]*$/, ""));
    expect(new Set(stems).size).toBe(given.length);
  });
});

describe("manifests are read a line at a time", () => {
  const root = mkdtempSync(join(tmpdir(), "emu-manifest-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const storage = createStorage(root);
  mkdirSync(join(root, "b", "img"), { recursive: true });
  const line = (id: string, extra = {}) =>
    JSON.stringify({
      source: `obs://b/img/${id}.png`,
      id,
      annotation: [{ type: "modelarts/image_classification", name: "猫" }],
      ...extra,
    });

  test("lines across read chunks, long lines, multi-byte text and blank lines", () => {
    // 64 KiB chunks: a 200 kB line and thousands of short ones cross many boundaries.
    const lines = [line("long", { note: "é".repeat(100_000) }), ""];
    for (let i = 0; i < 3000; i++) lines.push(line(`s${i}`, { note: "数据集".repeat(i % 7) }));
    writeFileSync(join(root, "b", "a.manifest"), `${lines.join("\n")}\n\n`);
    const dataset = loadDataset({ projectId: "p", id: "a", manifest: "/b/a.manifest" }, storage);
    expect([dataset.sampleCount, dataset.type]).toEqual([3001, 0]);
    const read = [...samplesOf(dataset, storage)];
    expect(read.map((s) => s.id)).toEqual(["long", ...Array.from({ length: 3000 }, (_, i) => `s${i}`)]);
    expect(read[0]?.line).toBe(lines[0]);
    expect(read[5]?.manifestLabels[0]?.name).toBe("猫");
    expect(read.every((s) => s.file.startsWith(join(root, "b", "img")))).toBe(true);
  });

  test("ids whose hashes collide are not duplicates; true duplicates are found exactly", () => {
    // Find two ids with the same 31-bit hash.
    const byHash = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      const id = `c${i}`;
      const other = byHash.get(hash31(id));
      if (other) pair = [other, id];
      byHash.set(hash31(id), id);
    }
    writeFileSync(join(root, "b", "collide.manifest"), [line(pair[0]), line(pair[1])].join("\n"));
    expect(loadDataset({ projectId: "p", id: "c", manifest: "/b/collide.manifest" }, storage).sampleCount).toBe(2);
    writeFileSync(join(root, "b", "collide2.manifest"), [line(pair[0]), line(pair[1]), line(pair[1])].join("\n"));
    expect(() => loadDataset({ projectId: "p", id: "c", manifest: "/b/collide2.manifest" }, storage)).toThrow(
      "/b/collide2.manifest:3: duplicate sample id",
    );
  });

  test("a duplicate id or a broken line is refused with its line number", () => {
    writeFileSync(join(root, "b", "dup.manifest"), [line("x"), "", line("y"), line("x")].join("\n"));
    expect(() => loadDataset({ projectId: "p", id: "d", manifest: "/b/dup.manifest" }, storage)).toThrow(
      "/b/dup.manifest:4: duplicate sample id x",
    );
    writeFileSync(join(root, "b", "bad.manifest"), `${line("x")}\n{"source":`);
    expect(() => loadDataset({ projectId: "p", id: "d", manifest: "/b/bad.manifest" }, storage)).toThrow(
      /\/b\/bad\.manifest:2: not JSON/,
    );
  });

  test("a sample whose file is a symlink is refused when the dataset loads", () => {
    symlinkSync("/etc/passwd", join(root, "b", "img", "evil.png"));
    writeFileSync(join(root, "b", "evil.manifest"), line("evil"));
    expect(() => loadDataset({ projectId: "p", id: "e", manifest: "/b/evil.manifest" }, storage)).toThrow(
      OutsideStorageError,
    );
  });
});

describe("sample_time", () => {
  const now = Date.UTC(2026, 10, 26, 12);
  test("month, day and ranges of at most 30 days", () => {
    expect(sampleTimeRange("day", now)).toEqual([Date.UTC(2026, 10, 25), Date.UTC(2026, 10, 26)]);
    expect(sampleTimeRange("month", now)[0]).toBe(Date.UTC(2026, 9, 27));
    expect(sampleTimeRange("20190901-20190930", now)).toEqual([Date.UTC(2019, 8, 1), Date.UTC(2019, 8, 30)]);
    expect(() => sampleTimeRange("20190901-20191001", now)).toThrow();
    expect(() => sampleTimeRange("20190231-20190301", now)).toThrow();
    expect(() => sampleTimeRange("20190910-20190901", now)).toThrow();
  });
});

describe("file formats", () => {
  test("VOC round-trips, properties included", () => {
    const voc = {
      folder: "f",
      filename: "a&b.png",
      width: 10,
      height: 20,
      depth: 3,
      objects: [
        {
          name: "car<1>",
          pose: "Unspecified",
          truncated: false,
          occluded: true,
          difficult: false,
          xmin: 1,
          ymin: 2,
          xmax: 9,
          ymax: 19,
          properties: { color: "red" },
        },
      ],
    };
    expect(parseVoc(writeVoc(voc), "test")).toEqual(voc);
  });

  test("VOC parsing: a property named like an element, parts inside objects, missing boxes", () => {
    const xml = `<annotation><filename>a.png</filename>
      <size><width>50</width><height>40</height></size>
      <object><name>person</name><properties><size>large</size></properties>
        <bndbox><xmin>1</xmin><ymin>2</ymin><xmax>30</xmax><ymax>40</ymax></bndbox>
        <part><name>head</name><bndbox><xmin>5</xmin><ymin>5</ymin><xmax>9</xmax><ymax>9</ymax></bndbox></part>
      </object>
      <object><name>dog</name><bndbox><xmin>3</xmin><ymin>4</ymin><xmax>5</xmax><ymax>6</ymax></bndbox></object>
    </annotation>`;
    const voc = parseVoc(xml, "a.xml");
    expect(voc).toMatchObject({ filename: "a.png", width: 50, height: 40, depth: 3 });
    expect(voc.objects).toEqual([
      expect.objectContaining({ name: "person", properties: { size: "large" } }),
      expect.objectContaining({ name: "dog", pose: "Unspecified", properties: {}, xmin: 3, ymin: 4, xmax: 5, ymax: 6 }),
    ]);
    expect(voc.objects[0]).toMatchObject({ xmin: 1, ymin: 2, xmax: 30, ymax: 40 });
    expect(() => parseVoc(xml.replace("<bndbox><xmin>3</xmin>", "<box><xmin>3</xmin>"), "b.xml")).toThrow(
      "b.xml: <xmin> is not a number",
    );
    expect(() => parseVoc("<annotation><size><height>3</height></size></annotation>", "c.xml")).toThrow(
      "c.xml: <width> is not a number",
    );
    // No <size> at all: not known, as written for images whose header does not say it.
    expect(parseVoc("<annotation></annotation>", "d.xml")).toMatchObject({ width: 0, height: 0, objects: [] });
  });

  test("VOC text: character references, CDATA and comments are read as XML readers read them, and written back to read the same", () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE annotation [ <!ELEMENT annotation ANY> ]>
<annotation><folder>f&#246;lder</folder><filename>caf&#xE9;.png</filename>
  <size><width>50</width><height>40</height><depth>3</depth></size>
  <!-- <object><name>commented out</name></object> -->
  <object><name>caf&#233; &amp;#233; &lt;x&gt; &quot;q&quot; &apos;a&apos; &#128512;</name>
    <pose><![CDATA[</pose> & <b>]]></pose>
    <properties><note><![CDATA[a]]]]><![CDATA[>b]]></note><kind>&#26641;</kind></properties>
    <bndbox><xmin>1</xmin><ymin>2</ymin><xmax>30</xmax><ymax>40</ymax></bndbox>
  </object>
</annotation>`;
    const voc = parseVoc(xml, "a.xml");
    expect(voc).toMatchObject({ folder: "f\u00f6lder", filename: "caf\u00e9.png", width: 50, height: 40 });
    expect(voc.objects).toHaveLength(1);
    expect(voc.objects[0]).toMatchObject({
      name: "caf\u00e9 &#233; <x> \"q\" 'a' \u{1F600}",
      pose: "</pose> & <b>",
      properties: { note: "a]]>b", kind: "\u6811" },
      xmin: 1,
      ymax: 40,
    });
    // An independent, well-kept reader agrees with what was read and with what is written back.
    const reader = new XMLParser({ ignoreAttributes: true, parseTagValue: false, htmlEntities: true });
    type Read = {
      annotation: {
        folder: string;
        filename: string;
        object: { name: string; pose: string; properties: Record<string, string> };
      };
    };
    const byReader = (reader.parse(xml) as Read).annotation;
    expect([byReader.folder, byReader.filename, byReader.object.name, byReader.object.pose]).toEqual([
      voc.folder,
      voc.filename,
      voc.objects[0]?.name,
      voc.objects[0]?.pose,
    ]);
    expect(byReader.object.properties).toEqual(voc.objects[0]?.properties);
    const written = writeVoc(voc);
    expect(parseVoc(written, "b.xml")).toEqual(voc);
    const rewritten = (reader.parse(written) as Read).annotation;
    expect([rewritten.object.name, rewritten.object.pose, rewritten.object.properties]).toEqual([
      voc.objects[0]?.name,
      voc.objects[0]?.pose,
      voc.objects[0]?.properties,
    ]);
    expect(() => parseVoc("<annotation><name><![CDATA[open</name></annotation>", "c.xml")).toThrow(
      "c.xml: a CDATA section is not closed with ]]>",
    );
  });

  test("PNG files carry the size they were made with", () => {
    const png = encodePng(37, 21, [1, 2, 3], [{ x: 2, y: 2, width: 5, height: 5, color: [9, 9, 9] }]);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(pngSize(png)).toEqual({ width: 37, height: 21 });
  });
});
