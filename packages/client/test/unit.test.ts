import { describe, expect, test } from "vitest";
import { createExportClient, endpointFor, ModelArtsApiError } from "../src/index.js";
import { createRedactor } from "../src/errors.js";
import { backoffMs, retryAfterMs } from "../src/retry.js";
import { canonicalQuery, canonicalUri, createSigner } from "../src/signer.js";

describe("SDK-HMAC-SHA256 signer (Web Crypto)", () => {
  test("published vector 1", async () => {
    const signer = createSigner({
      accessKey: "QTWAOYTTINDUT2QVKYUC",
      secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
    });
    const headers = await signer.sign({
      method: "GET",
      url: "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
      headers: { "Content-Type": "application/json" },
      body: undefined,
      date: new Date(Date.UTC(2019, 10, 15, 3, 36, 55)),
    });
    expect(headers["X-Sdk-Date"]).toBe("20191115T033655Z");
    expect(headers.Authorization).toBe(
      "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
    );
  });

  test("published vector 2", async () => {
    const signer = createSigner({ accessKey: "AccessKey", secretKey: "SecretKey" });
    const headers = await signer.sign({
      method: "GET",
      url: "https://service.endpoint.myhuaweicloud.com/resources?size=1",
      headers: {},
      body: undefined,
      date: new Date(Date.UTC(2020, 5, 8, 2, 39, 0)),
    });
    expect(headers.Authorization).toBe(
      "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842",
    );
  });

  test("temporary credentials send and sign X-Security-Token", async () => {
    const signer = createSigner({ accessKey: "ak", secretKey: "sk", securityToken: "sts-token" });
    const headers = await signer.sign({ method: "POST", url: "https://h/x", headers: {}, body: "{}" });
    expect(headers["X-Security-Token"]).toBe("sts-token");
    expect(headers.Authorization).toContain("SignedHeaders=host;x-sdk-date;x-security-token,");
  });

  test.each([
    ["/v2/p/datasets/ds/export-tasks", "/v2/p/datasets/ds/export-tasks/"],
    ["/v2/p/datasets/ds/export-tasks/", "/v2/p/datasets/ds/export-tasks/"],
    ["/v2/p/datasets/a%20b", "/v2/p/datasets/a%20b/"],
    ["/v2/p/datasets/%E6%95%B0%E6%8D%AE", "/v2/p/datasets/%E6%95%B0%E6%8D%AE/"],
    ["/v2/p/datasets/a!b*c'd(e)", "/v2/p/datasets/a%21b%2Ac%27d%28e%29/"],
    ["/v2/p/datasets/a~b_c.d-e", "/v2/p/datasets/a~b_c.d-e/"],
    ["/", "/"],
  ])("canonical URI of %s", (path, expected) => {
    expect(canonicalUri(path)).toBe(expected);
  });

  test.each([
    ["?b=2&a=1", "a=1&b=2"],
    ["?a=2&a=1&a=10", "a=1&a=10&a=2"],
    ["?empty=&flag", "empty=&flag="],
    ["?q=%E4%B8%AD&sp=a+b&slash=a%2Fb", "q=%E4%B8%AD&slash=a%2Fb&sp=a%20b"],
    ["", ""],
  ])("canonical query of %s", (search, expected) => {
    expect(canonicalQuery(search)).toBe(expected);
  });
});

describe("options", () => {
  const auth = { token: "t" };
  test("region resolves the endpoint, with the ap-southeast-1 exception", () => {
    expect(endpointFor("cn-north-4")).toBe("https://modelarts.cn-north-4.myhuaweicloud.com");
    expect(endpointFor("ap-southeast-1")).toBe("https://modelarts.ap-southeast-1.myhuaweicloud.cn");
    expect(createExportClient({ region: "af-south-1", projectId: "p", auth }).baseUrl).toBe(
      "https://modelarts.af-south-1.myhuaweicloud.com",
    );
  });

  test.each([
    [{ region: "mars-1", projectId: "p", auth }, /Unknown ModelArts region "mars-1"\. Pass one of cn-north-1/],
    [{ region: "cn-north-4", projectId: "", auth }, /Pass projectId/],
    [{ region: "cn-north-4", projectId: "p", auth: {} }, /Pass auth: \{ token \}/],
    [{ region: "cn-north-4", projectId: "p", auth: { accessKey: "a" } }, /Pass auth/],
    [{ region: "cn-north-4", baseUrl: "http://x", projectId: "p", auth }, /region or baseUrl, not both/],
    [{ projectId: "p", auth }, /Pass region/],
  ])("fails at construction with a message that says what to pass (%#)", (options, message) => {
    expect(() => createExportClient(options as never)).toThrow(message);
  });
});

describe("errors and retries", () => {
  test("the redactor removes secrets and anything shaped like a signature", () => {
    const redact = createRedactor(["my-secret-key", "sts-token-value"]);
    expect(
      redact("a my-secret-key b Signature=0123456789abcdef0123456789abcdef x-security-token:sts-token-value|host:h"),
    ).toBe("a **** b Signature=**** x-security-token:****|host:h");
  });

  test("an API error reads like the service's answer", () => {
    const error = new ModelArtsApiError({
      status: 404,
      errorCode: "ModelArts.4352",
      errorMsg: "Dataset does not exist.",
      requestId: "5f0e",
      operation: "getExportTask",
    });
    expect(error.message).toBe("ModelArts.4352 Dataset does not exist. (404, request 5f0e) in getExportTask");
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      status: 404,
      errorCode: "ModelArts.4352",
      requestId: "5f0e",
    });
  });

  test("Retry-After in seconds or as a date; jittered, capped backoff", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(retryAfterMs("soon")).toBeUndefined();
    const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffMs(0, policy, () => 1)).toBe(100);
    expect(backoffMs(3, policy, () => 1)).toBe(800);
    expect(backoffMs(10, policy, () => 1)).toBe(1000);
    expect(backoffMs(10, policy, () => 0)).toBe(0);
  });
});
