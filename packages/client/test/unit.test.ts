import { describe, expect, test } from "vitest";
import { createExportClient, endpointFor, ModelArtsApiError } from "../src/index.js";
import { createRedactor } from "../src/errors.js";
import { backoffMs, retryAfterMs } from "../src/retry.js";

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
    [{ region: "mars-1", projectId: "p", auth }, /Unknown ModelArts region "mars-1": pass one of cn-north-1/],
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
    expect(backoffMs(0, 100, 1000, () => 1)).toBe(100);
    expect(backoffMs(3, 100, 1000, () => 1)).toBe(800);
    expect(backoffMs(10, 100, 1000, () => 1)).toBe(1000);
    expect(backoffMs(10, 100, 1000, () => 0)).toBe(0);
  });
});
