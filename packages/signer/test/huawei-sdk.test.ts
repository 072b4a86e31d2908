// Our signer and verifier against Huawei's own Node SDK signer (AKSKSigner of
// @huaweicloud/huaweicloud-sdk-core), both ways, on a few hundred seeded
// random requests: reserved and non-ASCII characters in ids, array and empty
// query values, trailing slashes, JSON bodies.
import { createRequire } from "node:module";
import { stringify } from "node:querystring";
import { describe, expect, test } from "vitest";
import { createSigner, verifySignature } from "../src/index.js";

const require = createRequire(import.meta.url);
interface HuaweiRequest {
  endpoint: string;
  method: string;
  headers: Record<string, string>;
  queryParams: Record<string, string | string[]>;
  data?: unknown;
}
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js") as {
  AKSKSigner: {
    sign(request: HuaweiRequest, credential: { getAk(): string; getSk(): string }): Record<string, string>;
  };
};

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const accessKey = "HPUAXXXXXXXXXXXXXXXX";
const secretKey = "s3cr3t/Key+With=Symbols";
const host = "modelarts.cn-north-4.myhuaweicloud.com";
const credential = { getAk: () => accessKey, getSk: () => secretKey };

// Characters Node's legacy URL parser (which AKSKSigner uses) leaves in a path as they are.
const ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!*()$+,;=:@数据集导出ü";
const QUERY_CHARS = `${ID_CHARS} /?&%#`;

const random = seeded(20261126);
const pick = (chars: string, min: number, max: number): string =>
  Array.from(
    { length: min + Math.floor(random() * (max - min + 1)) },
    () => chars[Math.floor(random() * chars.length)],
  ).join("");
const cases = Array.from({ length: 300 }, (_, i) => {
  const method = random() < 0.5 ? "GET" : "POST";
  const segments = ["v2", pick(ID_CHARS, 1, 12), "datasets", pick(ID_CHARS, 1, 12), "export-tasks"];
  if (random() < 0.3) segments.push(pick(ID_CHARS, 1, 19));
  const path = `/${segments.join("/")}${random() < 0.2 ? "/" : ""}`;
  const queryParams: Record<string, string | string[]> = {};
  for (let q = Math.floor(random() * 4); q > 0; q--) {
    const key = pick("abcdefghij_", 1, 8);
    queryParams[key] =
      random() < 0.25
        ? [pick(QUERY_CHARS, 0, 6), pick(QUERY_CHARS, 0, 6)]
        : random() < 0.2
          ? ""
          : pick(QUERY_CHARS, 1, 10);
  }
  const data =
    method === "POST"
      ? {
          path: `/bucket/${pick(ID_CHARS, 1, 8)}/`,
          export_type: Math.floor(random() * 4),
          note: pick(QUERY_CHARS, 0, 20),
        }
      : undefined;
  const date = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 3e10));
  return { i, method, path, queryParams, data, date };
});

const sdkDate = (date: Date): string => date.toISOString().replace(/[-:]|\.\d{3}/g, "");
const huaweiSign = (request: Omit<HuaweiRequest, "headers">, date: Date): Record<string, string> =>
  AKSKSigner.sign(
    {
      ...request,
      queryParams: structuredClone(request.queryParams),
      headers: { "Content-Type": "application/json", "X-Sdk-Date": sdkDate(date) },
    },
    credential,
  );

describe.each(["node", "web"] as const)("our signatures (engine %s) equal AKSKSigner's", (engine) => {
  const signer = createSigner({ accessKey, secretKey, engine });
  test.each(cases)("request $i: $method $path", async ({ method, path, queryParams, data, date }) => {
    const theirs = huaweiSign({ endpoint: `https://${host}${path}`, method, queryParams, data }, date);
    const url = new URL(`https://${host}${path.split("/").map(encodeURIComponent).join("/")}`);
    for (const [key, value] of Object.entries(queryParams))
      for (const v of [value].flat()) url.searchParams.append(key, v);
    const ours = await signer.sign({
      method,
      url,
      headers: { "Content-Type": "application/json" },
      body: data ? JSON.stringify(data) : undefined,
      date,
    });
    expect(ours.Authorization).toBe(theirs.Authorization);
  });
});

describe("our verifier accepts what AKSKSigner signs", () => {
  // Ids as a careful caller gives them to the SDK (encodeURIComponent, as the SDK
  // does with the project id): AKSKSigner then encodes the '%' once more, which the
  // verifier tolerates.
  const asSent = ({ method, path, queryParams, data, date }: (typeof cases)[number], encodeIds: boolean) => {
    const sentPath = encodeIds ? path.split("/").map(encodeURIComponent).join("/") : encodeURI(path);
    const headers = huaweiSign(
      { endpoint: `https://${host}${encodeIds ? sentPath : path}`, method, queryParams, data },
      date,
    );
    const query = stringify(queryParams); // what the SDK's HTTP client sends
    return {
      method,
      url: `${sentPath}${query ? `?${query}` : ""}`,
      headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
      body: data === undefined ? undefined : JSON.stringify(data),
    };
  };
  test.each(cases)("request $i: $method $path", async (request) => {
    const options = { secretKeyFor: () => secretKey, now: request.date.getTime() };
    for (const encodeIds of [false, true]) {
      const result = await verifySignature(asSent(request, encodeIds), options);
      expect([encodeIds, result]).toEqual([encodeIds, { ok: true, accessKey }]);
    }
  });
});
