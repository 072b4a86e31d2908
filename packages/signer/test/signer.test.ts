import { afterEach, describe, expect, test, vi } from "vitest";
import { canonicalQuery, canonicalUri, createSigner, verifySignature, type Engine } from "../src/index.js";

const ENGINES: Engine[] = ["node", "web"];
const VECTOR_1 = {
  accessKey: "QTWAOYTTINDUT2QVKYUC",
  secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
  url: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
  date: new Date(Date.UTC(2019, 10, 15, 3, 36, 55)),
  authorization:
    "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
};

describe.each(ENGINES)("signing with engine %s", (engine) => {
  test("uses the engine asked for", () => {
    expect(createSigner({ accessKey: "a", secretKey: "s", engine }).engine).toBe(engine);
  });

  test("published vector 1: GET with a query and Content-Type", async () => {
    const headers = await createSigner({ ...VECTOR_1, engine }).sign({
      method: "GET",
      url: VECTOR_1.url,
      headers: { "Content-Type": "application/json" },
      date: VECTOR_1.date,
    });
    expect(headers["X-Sdk-Date"]).toBe("20191115T033655Z");
    expect(headers.Authorization).toBe(VECTOR_1.authorization);
  });

  test("published vector 2: host and X-Sdk-Date only, headers given as a Headers object", async () => {
    const headers = await createSigner({ accessKey: "AccessKey", secretKey: "SecretKey", engine }).sign({
      method: "GET",
      url: new URL("https://service.endpoint.myhuaweicloud.com/resources?size=1"),
      headers: new Headers({ Accept: "application/json" }),
      date: new Date(Date.UTC(2020, 5, 8, 2, 39, 0)),
    });
    expect(headers.Authorization).toBe(
      "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842",
    );
  });

  test("temporary credentials send and sign X-Security-Token", async () => {
    const signer = createSigner({ accessKey: "ak", secretKey: "sk", securityToken: "sts-token", engine });
    const headers = await signer.sign({ method: "POST", url: "https://h/x", body: "{}" });
    expect(headers["X-Security-Token"]).toBe("sts-token");
    expect(headers.Authorization).toContain("SignedHeaders=host;x-sdk-date;x-security-token,");
  });
});

describe("both engines sign alike", () => {
  test("the same signatures for bodies given as text, ArrayBuffer and Uint8Array", async () => {
    const [node, web] = ENGINES.map((engine) => createSigner({ accessKey: "ak", secretKey: "sk/+=", engine }));
    const date = new Date(Date.UTC(2026, 11, 3, 7, 0, 0));
    const text = JSON.stringify({ path: "/b/数据/", export_type: 0 });
    const bytes = new TextEncoder().encode(text);
    for (const body of [undefined, "", text, bytes, bytes.buffer]) {
      const input = {
        method: "POST",
        url: "https://h:8443/v2/p/datasets/a+b%2Fc/export-tasks?x=1+2&y=%E4%B8%AD&z=",
        headers: { "Content-Type": "application/json", "X-Project-Id": "p", "User-Agent": "not signed" },
        body,
        date,
      };
      const ours = await node!.sign(input);
      expect(ours).toEqual(await web!.sign(input));
      expect(ours.Authorization).toContain("SignedHeaders=content-type;host;x-project-id;x-sdk-date,");
    }
  });
});

describe("choosing the engine", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  test("node:crypto by default on Node; Web Crypto where process.getBuiltinModule is missing", () => {
    expect(createSigner({ accessKey: "a", secretKey: "s" }).engine).toBe("node");
    vi.spyOn(process, "getBuiltinModule").mockReturnValue(undefined as never);
    expect(createSigner({ accessKey: "a", secretKey: "s" }).engine).toBe("web");
    expect(() => createSigner({ accessKey: "a", secretKey: "s", engine: "node" })).toThrow(/No node engine/);
  });

  test("an empty key is refused at once", () => {
    expect(() => createSigner({ accessKey: "", secretKey: "s" })).toThrow("Pass accessKey and secretKey");
  });
});

describe("canonical request", () => {
  test.each([
    ["/v2/p/datasets/ds/export-tasks", "/v2/p/datasets/ds/export-tasks/"],
    ["/v2/p/datasets/ds/export-tasks/", "/v2/p/datasets/ds/export-tasks/"],
    ["/v2/p/datasets/a%20b", "/v2/p/datasets/a%20b/"],
    ["/v2/p/datasets/a+b", "/v2/p/datasets/a%2Bb/"],
    ["/v2/p/datasets/a%2Bb", "/v2/p/datasets/a%2Bb/"],
    ["/v2/p/datasets/a%2Fb", "/v2/p/datasets/a%2Fb/"],
    ["/v2/p/datasets/50%", "/v2/p/datasets/50%25/"],
    ["/v2/p/datasets/%e6%95%b0%E6%8D%AE", "/v2/p/datasets/%E6%95%B0%E6%8D%AE/"],
    ["/v2/p/datasets/a!b*c'd(e)", "/v2/p/datasets/a%21b%2Ac%27d%28e%29/"],
    ["/v2/p/datasets/a~b_c.d-e", "/v2/p/datasets/a~b_c.d-e/"],
    ["/", "/"],
  ])("URI of %s", (path, expected) => {
    expect(canonicalUri(path)).toBe(expected);
  });

  test("URI as Huawei's Node signer builds it from an encoded path", () => {
    expect(canonicalUri("/v2/a%20b/c+d", false)).toBe("/v2/a%2520b/c%2Bd/");
  });

  test.each([
    ["?b=2&a=1", "a=1&b=2"],
    ["?a=2&a=1&a=10", "a=1&a=10&a=2"],
    ["?empty=&flag", "empty=&flag="],
    ["?q=%E4%B8%AD&sp=a+b&plus=a%2Bb&slash=a%2Fb", "plus=a%2Bb&q=%E4%B8%AD&slash=a%2Fb&sp=a%20b"],
    ["?pct=100%&t=~", "pct=100%25&t=~"],
    ["", ""],
  ])("query of %s", (search, expected) => {
    expect(canonicalQuery(search)).toBe(expected);
  });
});

describe.each(ENGINES)("verification with engine %s", (engine) => {
  const secretKeyFor = (accessKey: string): string | undefined =>
    accessKey === VECTOR_1.accessKey ? VECTOR_1.secretKey : undefined;
  const url = new URL(VECTOR_1.url);
  const vector = {
    method: "GET",
    url: url.pathname + url.search,
    headers: {
      host: url.host,
      "content-type": "application/json",
      "x-sdk-date": "20191115T033655Z",
      authorization: VECTOR_1.authorization,
    },
  };
  const now = VECTOR_1.date.getTime();

  test("accepts the published vector, given as a path or a full URL, with Node or Fetch headers", async () => {
    expect(await verifySignature(vector, { secretKeyFor, now, engine })).toEqual({
      ok: true,
      accessKey: VECTOR_1.accessKey,
    });
    const asFetch = { ...vector, url: VECTOR_1.url, headers: new Headers(vector.headers) };
    expect((await verifySignature(asFetch, { secretKeyFor, now, engine })).ok).toBe(true);
  });

  test.each([
    ["a changed query", { url: vector.url.replace("limit=2", "limit=3") }, "the signature does not match"],
    ["another method", { method: "DELETE" }, "the signature does not match"],
    ["a body that was not signed", { body: "{}" }, "the signature does not match"],
    ["no Authorization", { headers: { ...vector.headers, authorization: "" } }, "the Authorization header is not"],
    [
      "an unknown key",
      { headers: { ...vector.headers, authorization: VECTOR_1.authorization.replace("QTW", "XXX") } },
      "the access key is unknown",
    ],
    ["a bad date", { headers: { ...vector.headers, "x-sdk-date": "2019-11-15" } }, "X-Sdk-Date must be"],
  ])("refuses %s", async (_, change, reason) => {
    const result = await verifySignature({ ...vector, ...change }, { secretKeyFor, now, engine });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  test("echoes the canonical request of a signature that does not match", async () => {
    const result = await verifySignature({ ...vector, method: "DELETE" }, { secretKeyFor, now, engine });
    expect(!result.ok && result.canonicalRequest).toBe(
      `DELETE\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\ncontent-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\ncontent-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`,
    );
  });

  test("refuses more than 15 minutes of clock skew either way, accepts 14", async () => {
    for (const [offset, ok] of [
      [16, false],
      [-16, false],
      [14, true],
      [-14, true],
    ] as const) {
      expect((await verifySignature(vector, { secretKeyFor, now: now + offset * 60_000, engine })).ok).toBe(ok);
    }
  });

  test("round trip: what the signer signs, the verifier accepts, bytes and all", async () => {
    const signer = createSigner({ accessKey: VECTOR_1.accessKey, secretKey: VECTOR_1.secretKey, engine });
    const target = "https://127.0.0.1:9/v2/p/datasets/a+b%2Fc~%25/export-tasks?q=a%2Bb+c&e=&n=%E4%B8%AD";
    const body = new TextEncoder().encode('{"path":"/b/x/"}');
    const headers = { "Content-Type": "application/json", "X-Project-Id": "p" };
    const signed = await signer.sign({ method: "POST", url: target, headers, body });
    const received = new Headers({ ...headers, ...signed, host: "127.0.0.1:9" });
    const input = { method: "POST", url: target.slice("https://127.0.0.1:9".length), headers: received, body };
    expect((await verifySignature(input, { secretKeyFor, engine })).ok).toBe(true);
    expect((await verifySignature({ ...input, body: body.slice(1) }, { secretKeyFor, engine })).ok).toBe(false);
  });

  test("a declared body hash must be the body's; UNSIGNED-PAYLOAD is taken as declared", async () => {
    const signer = createSigner({ accessKey: VECTOR_1.accessKey, secretKey: VECTOR_1.secretKey, engine });
    for (const declared of ["UNSIGNED-PAYLOAD", "0".repeat(64)]) {
      const headers = { "X-Sdk-Content-Sha256": declared };
      const signed = await signer.sign({ method: "PUT", url: "http://h/x", headers, body: "data" });
      const result = await verifySignature(
        { method: "PUT", url: "/x", headers: new Headers({ ...headers, ...signed, host: "h" }), body: "data" },
        { secretKeyFor, engine },
      );
      expect([declared, result.ok]).toEqual([declared, declared === "UNSIGNED-PAYLOAD"]);
    }
  });
});
