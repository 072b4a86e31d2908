import { createExportClient } from "@modelarts-export/client";

const client = createExportClient({
  region: "cn-north-4",
  projectId: process.env.HUAWEICLOUD_SDK_PROJECT_ID ?? "",
  auth: { token: process.env.MODELARTS_TOKEN ?? "" },
});

// One page...
const page = await client.listExportTasks("WxCREuCkBSAlQr9xrde", { export_type: 0, limit: 10, offset: 0 });
console.log(`${page.total_count} tasks`);

// ...or every task, page after page.
for await (const task of client.exportTasks("WxCREuCkBSAlQr9xrde")) {
  console.log(task.task_id, task.status, task.progress);
}
