import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { authenticate, canonicalQuery, canonicalUri } from "../src/auth.js";
import { sampleTimeRange } from "../src/select.js";
import { createStorage, OutsideStorageError } from "../src/storage.js";
import { parseVoc, writeVoc } from "../src/voc.js";
import { encodePng, pngSize } from "../src/png.js";
import { isApiError } from "../src/errors.js";

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

  test("vector 1: GET with a query and content-type signed", () => {
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
    expect(authenticate(request, credentials, at("20191115T033655Z"))).toBe("p1");
    const tampered = { ...request, url: request.url.replace("limit=2", "limit=3") };
    expect(() => authenticate(tampered, credentials, at("20191115T033655Z"))).toThrow();
  });

  test("vector 2: host and x-sdk-date only", () => {
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
    expect(authenticate(request, credentials, at("20200608T023900Z"))).toBe("p2");
    // More than 15 minutes of skew is refused.
    let caught: unknown;
    try {
      authenticate(request, credentials, at("20200608T023900Z") + 16 * 60_000);
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

  test("PNG files carry the size they were made with", () => {
    const png = encodePng(37, 21, [1, 2, 3], [{ x: 2, y: 2, width: 5, height: 5, color: [9, 9, 9] }]);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(pngSize(png)).toEqual({ width: 37, height: 21 });
  });
});
