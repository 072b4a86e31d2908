// Runs in the consumer project with Node's ESM loader.
import { createExportClient } from "@modelarts-export/client";

const client = createExportClient({
  baseUrl: process.env.EMULATOR_URL,
  projectId: "demo-project",
  auth: { accessKey: "demo-ak", secretKey: "demo-sk" },
});
const { task_id } = await client.createExportTask("demo-detection", {
  path: "/demo-bucket/consumer/esm/",
  export_type: 0,
  annotation_format: "COCO",
});
const seen = [];
const task = await client.waitForExportTask("demo-detection", task_id, {
  intervalMs: 5,
  onProgress: (p) => seen.push(p.status),
});
console.log(JSON.stringify({ status: task.status, total: task.total_sample_count, seen }));
