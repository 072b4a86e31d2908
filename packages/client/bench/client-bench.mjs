// Client benchmark, all measured in one run, with issue #13's three targets:
//  1. the browser bundle of every public export (esbuild --platform=browser,
//     minified, gzip -9), openapi-fetch and the signer included: <= 6,000 B;
//  2. production dependency tree of an install of the client, next to Huawei's core SDK;
//  3. requests/s through the client with a stub fetch (no network), next to bare
//     openapi-fetch (token path: >= 90 %) and a raw fetch call; AK/SK signing
//     next to Huawei's AKSKSigner (>= 100 %).
//
//   npm run bench -w @modelarts-export/client
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import createClient from "openapi-fetch";
import { createExportClient } from "@modelarts-export/client";
import { createSigner } from "@modelarts-export/signer";

const require = createRequire(import.meta.url);
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

// 1. Bundle size: every public export, as a browser app would bundle them.
// AK/SK signing is a dynamic import (loaded on the first AK/SK request), so
// it is measured two ways: with code splitting, as browser apps build (the
// entry, and the chunk AK/SK users load on top), and as one file.
const gz = (file) => gzipSync(file.contents, { level: 9 }).length;
const bundleSizes = async (splitting) =>
  (
    await build({
      stdin: {
        contents: 'export * from "@modelarts-export/client";',
        resolveDir: fileURLToPath(new URL(".", import.meta.url)),
      },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      splitting,
      outdir: join(tmpdir(), "client-bundle"),
      write: false,
    })
  ).outputFiles;
const [entry, akskChunk] = await bundleSizes(true);
const [single] = await bundleSizes(false);
console.log(
  `browser bundle (min+gzip -9): entry ${gz(entry)} B, + ${gz(akskChunk)} B chunk loaded on the first AK/SK request; ` +
    `${gz(single)} B as a single file without code splitting`,
);
const targets = [
  [`browser bundle entry ${gz(entry)} B min+gzip (single file: ${gz(single)} B)`, gz(entry) <= 6000, "<= 6,000 B"],
];

// 2. Dependency trees, installed from the registry as a user would.
function tree(spec) {
  const dir = mkdtempSync(join(tmpdir(), "client-deps-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "x", private: true }));
  execFileSync("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", "--ignore-scripts", ...spec], {
    cwd: dir,
    stdio: "ignore",
  });
  let packages = 0;
  let bytes = 0;
  const walk = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) bytes += statSync(full).size;
    }
  };
  const modules = join(dir, "node_modules");
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith(".")) continue;
    packages += entry.startsWith("@") ? readdirSync(join(modules, entry)).length : 1;
  }
  walk(modules);
  rmSync(dir, { recursive: true, force: true });
  return { packages, MB: (bytes / 1e6).toFixed(2) };
}
const packDir = mkdtempSync(join(tmpdir(), "client-pack-"));
const packed = JSON.parse(
  execFileSync(
    "npm",
    [
      "pack",
      "--json",
      "--pack-destination",
      packDir,
      "-w",
      "@modelarts-export/types",
      "-w",
      "@modelarts-export/signer",
      "-w",
      "@modelarts-export/client",
    ],
    { cwd: repoRoot, encoding: "utf8" },
  ),
);
console.table({
  "@modelarts-export/client": tree(packed.map((p) => join(packDir, p.filename))),
  "@huaweicloud/huaweicloud-sdk-core": tree(["@huaweicloud/huaweicloud-sdk-core@3.1.211"]),
});
rmSync(packDir, { recursive: true, force: true });

// 3. Throughput with a stub fetch.
const task = { task_id: "rF9NNoB56k5rtYKg2Y7", status: "RUNNING", progress: 42.5 };
const body = JSON.stringify(task);
const stubFetch = async () =>
  new Response(body, { status: 200, headers: { "content-type": "application/json", "x-request-id": "r" } });
const baseUrl = "https://modelarts.cn-north-4.myhuaweicloud.com";
const path = {
  project_id: "77b6a44cba5143ab91d13ab9a8ff44fd",
  dataset_id: "WxCREuCkBSAlQr9xrde",
  task_id: "rF9NNoB56k5rtYKg2Y7",
};
const N = 10_000;

// Timings on a shared machine drift with GC and other load, so the rates are
// measured in interleaved rounds and each is the median of its rounds; a
// share of one rate in another is the median of the shares within each round,
// whose runs are close together in time.
const ROUNDS = 7;
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
async function rates(named) {
  const samples = named.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, fn]] of named.entries()) {
      for (let j = 0; j < 500; j++) await fn(j); // warm up
      const t0 = performance.now();
      for (let j = 0; j < N; j++) await fn(j);
      samples[i].push(N / ((performance.now() - t0) / 1000));
    }
  }
  const rows = named.map(([name], i) => [name, Math.round(median(samples[i]))]);
  rows.share = (a, b) => median(samples[a].map((rate, round) => rate / samples[b][round]));
  return rows;
}

const bare = createClient({ baseUrl, fetch: stubFetch });
bare.use({
  onRequest: ({ request }) => {
    request.headers.set("X-Auth-Token", "t");
    return request;
  },
});
const tokenClient = createExportClient({ baseUrl, projectId: path.project_id, auth: { token: "t" }, fetch: stubFetch });
const timedClient = createExportClient({
  baseUrl,
  projectId: path.project_id,
  auth: { token: "t" },
  fetch: stubFetch,
  timeoutMs: 30_000,
});
const akskClient = createExportClient({
  baseUrl,
  projectId: path.project_id,
  auth: { accessKey: "AK", secretKey: "SK" },
  fetch: stubFetch,
});
const url = `${baseUrl}/v2/${path.project_id}/datasets/${path.dataset_id}/export-tasks/${path.task_id}`;

const rows = await rates([
  ["raw fetch + JSON", async () => (await stubFetch(new Request(url, { headers: { "X-Auth-Token": "t" } }))).json()],
  [
    "bare openapi-fetch (token header)",
    () => bare.GET("/v2/{project_id}/datasets/{dataset_id}/export-tasks/{task_id}", { params: { path } }),
  ],
  ["client.getExportTask (token)", () => tokenClient.getExportTask(path.dataset_id, path.task_id)],
  ["client.getExportTask (token, timeoutMs 30 s)", () => timedClient.getExportTask(path.dataset_id, path.task_id)],
  ["client.getExportTask (AK/SK)", () => akskClient.getExportTask(path.dataset_id, path.task_id)],
]);
console.table(Object.fromEntries(rows.map(([name, r]) => [name, { "requests/s": r }])));
const tokenShare = rows.share(2, 1);
targets.push([`token client ${(tokenShare * 100).toFixed(0)}% of bare openapi-fetch`, tokenShare >= 0.9, ">= 90 %"]);
console.log(
  `token client = ${(tokenShare * 100).toFixed(0)}% of bare openapi-fetch (target >= 90%), ` +
    `${(rows.share(3, 1) * 100).toFixed(0)}% with a per-attempt timeout (an AbortController per request)`,
);

// Signing alone, the same request, ours (node:crypto and Web Crypto) and Huawei's (node:crypto).
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js");
const credential = { getAk: () => "AK", getSk: () => "SK" };
const date = new Date(Date.UTC(2026, 10, 26, 12));
const postBody = { path: "/my-bucket/exports/coco/", export_type: 0, annotation_format: "COCO" };
const signWith = (signer) => () =>
  signer.sign({
    method: "POST",
    url: `${baseUrl}/v2/p/datasets/d/export-tasks?limit=10`,
    headers: { "Content-Type": "application/json", "X-Project-Id": "p" },
    body: JSON.stringify(postBody),
    date,
  });
const nodeSigner = createSigner({ accessKey: "AK", secretKey: "SK", engine: "node" });
const webSigner = createSigner({ accessKey: "AK", secretKey: "SK", engine: "web" });
const signHuawei = async () =>
  AKSKSigner.sign(
    {
      endpoint: `${baseUrl}/v2/p/datasets/d/export-tasks`,
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Project-Id": "p", "X-Sdk-Date": "20261126T120000Z" },
      queryParams: { limit: "10" },
      data: postBody,
    },
    credential,
  );
const signRows = await rates([
  ["ours, node:crypto (the default on Node)", signWith(nodeSigner)],
  ["ours, Web Crypto (engine: 'web')", signWith(webSigner)],
  ["Huawei AKSKSigner.sign (node:crypto)", signHuawei],
]);
console.table(Object.fromEntries(signRows.map(([name, r]) => [name, { "signatures/s": r }])));
const signShare = signRows.share(0, 2);
targets.push([`AK/SK signing ${(signShare * 100).toFixed(0)}% of AKSKSigner's rate`, signShare >= 1, ">= 100 %"]);

console.log("\nTargets (issue #13):");
for (const [what, met, target] of targets) console.log(`  ${met ? "met   " : "MISSED"} ${what} (target ${target})`);
