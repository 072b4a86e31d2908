// Client benchmark, all measured in one run:
//  1. minified+gzipped size of the client entry bundled with openapi-fetch (esbuild);
//  2. production dependency tree of an install of the client, next to Huawei's core SDK;
//  3. requests/s through the client with a stub fetch (no network), next to bare
//     openapi-fetch and a raw fetch call; AK/SK signing next to Huawei's AKSKSigner.
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
import { createExportClient, createSigner } from "../dist/esm/index.js";

const require = createRequire(import.meta.url);
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

// 1. Bundle size.
const bundle = await build({
  entryPoints: [fileURLToPath(new URL("../dist/esm/index.js", import.meta.url))],
  bundle: true,
  minify: true,
  format: "esm",
  platform: "neutral",
  write: false,
});
const bundled = bundle.outputFiles[0].contents;
console.log(`bundle: ${bundled.length} B minified, ${gzipSync(bundled).length} B gzipped (target <= 6 kB gzipped)`);

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
// measured in interleaved rounds and each is the median of its rounds.
const ROUNDS = 5;
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
  return named.map(([name], i) => [name, Math.round(samples[i].sort((a, b) => a - b)[ROUNDS >> 1])]);
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
const bareRate = rows[1][1];
console.log(
  `token client = ${((rows[2][1] / bareRate) * 100).toFixed(0)}% of bare openapi-fetch (target >= 90%), ` +
    `${((rows[3][1] / bareRate) * 100).toFixed(0)}% with a per-attempt timeout (an AbortController per request)`,
);

// Signing alone, the same requests, ours (Web Crypto) and Huawei's (Node crypto).
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js");
const signer = createSigner({ accessKey: "AK", secretKey: "SK" });
const credential = { getAk: () => "AK", getSk: () => "SK" };
const date = new Date(Date.UTC(2026, 10, 26, 12));
const postBody = { path: "/my-bucket/exports/coco/", export_type: 0, annotation_format: "COCO" };
const signOurs = () =>
  signer.sign({
    method: "POST",
    url: `${baseUrl}/v2/p/datasets/d/export-tasks?limit=10`,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(postBody),
    date,
  });
const signHuawei = async () =>
  AKSKSigner.sign(
    {
      endpoint: `${baseUrl}/v2/p/datasets/d/export-tasks`,
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Sdk-Date": "20261126T120000Z" },
      queryParams: { limit: "10" },
      data: postBody,
    },
    credential,
  );
const signRows = await rates([
  ["ours: createSigner().sign (Web Crypto)", signOurs],
  ["Huawei AKSKSigner.sign (node:crypto)", signHuawei],
]);
// Web Crypto runs on Node's thread pool: with requests in flight together the
// hops overlap, which a sequential loop cannot show.
async function concurrentRate(name, fn, inFlight = 64) {
  let next = 0;
  const worker = async () => {
    while (next < N) await fn(next++);
  };
  await Promise.all(Array.from({ length: inFlight }, worker)); // warm up
  next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return [`${name}, 64 in flight`, Math.round(N / ((performance.now() - t0) / 1000))];
}
signRows.push(await concurrentRate("ours", signOurs), await concurrentRate("Huawei", signHuawei));
console.table(Object.fromEntries(signRows.map(([name, r]) => [name, { "signatures/s": r }])));
const share = (ours, theirs) => `${((ours / theirs) * 100).toFixed(0)}%`;
console.log(
  `ours = ${share(signRows[0][1], signRows[1][1])} of AKSKSigner one at a time, ${share(signRows[2][1], signRows[3][1])} with 64 in flight (target >= 100%)`,
);
