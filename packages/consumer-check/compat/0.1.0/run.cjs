// Runs in the consumer project with require().
const { createExportClient, ModelArtsApiError } = require("@modelarts-export/client");

(async () => {
  const client = createExportClient({
    baseUrl: process.env.EMULATOR_URL,
    projectId: "demo-project",
    auth: { token: "demo-token" },
  });
  const { task_id } = await client.createExportTask("demo-detection", {
    path: "/demo-bucket/consumer/cjs/",
    export_type: 0,
    annotation_format: "VOC",
  });
  const task = await client.waitForExportTask("demo-detection", task_id, { intervalMs: 5 });
  const missing = await client.getExportTask("no-such-dataset", "x").catch((e) => e);
  console.log(
    JSON.stringify({
      status: task.status,
      total: task.total_sample_count,
      apiError: missing instanceof ModelArtsApiError && missing.errorCode,
    }),
  );
})();
