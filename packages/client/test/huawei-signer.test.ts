// Our Web Crypto signer against Huawei's own Node SDK signer (AKSKSigner of
// @huaweicloud/huaweicloud-sdk-core) on a few hundred seeded random requests:
// reserved and non-ASCII characters in ids, array and empty query values,
// trailing slashes, JSON bodies.
import { createRequire } from "node:module";
import { describe, expect, test } from "vitest";
import { createSigner } from "../src/signer.js";

const require = createRequire(import.meta.url);
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js") as {
  AKSKSigner: {
    sign(
      request: {
        endpoint: string;
        method: string;
        headers: Record<string, string>;
        queryParams: Record<string, string | string[]>;
        data?: unknown;
      },
      credential: { getAk(): string; getSk(): string },
    ): Record<string, string>;
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

// Characters both URL parsers leave for the signer to encode.
const ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!*()$+,;=:@数据集导出ü";
const QUERY_CHARS = `${ID_CHARS} /?&%#`;

describe("signatures equal Huawei's AKSKSigner", () => {
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

  test.each(cases)("request $i: $method $path", async ({ method, path, queryParams, data, date }) => {
    const accessKey = "HPUAXXXXXXXXXXXXXXXX";
    const secretKey = "s3cr3t/Key+With=Symbols";
    const host = "modelarts.cn-north-4.myhuaweicloud.com";
    const sdkDate = date
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d{3}/, "");
    const headers = { "Content-Type": "application/json", "X-Sdk-Date": sdkDate };
    const theirs = AKSKSigner.sign(
      {
        endpoint: `https://${host}${path}`,
        method,
        headers: { ...headers },
        queryParams: structuredClone(queryParams),
        ...(data ? { data } : {}),
      },
      { getAk: () => accessKey, getSk: () => secretKey },
    );
    const url = new URL(`https://${host}${path.split("/").map(encodeURIComponent).join("/")}`);
    for (const [key, value] of Object.entries(queryParams))
      for (const v of [value].flat()) url.searchParams.append(key, v);
    const ours = await createSigner({ accessKey, secretKey }).sign({
      method,
      url: url.href,
      headers: { "Content-Type": "application/json" },
      body: data ? JSON.stringify(data) : undefined,
      date,
    });
    expect(ours.Authorization).toBe(theirs.Authorization);
  });
});
