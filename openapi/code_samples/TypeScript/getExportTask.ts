import { createExportClient, ExportTaskFailedError } from "@modelarts-export/client";

const client = createExportClient({
  region: "cn-north-4",
  projectId: process.env.HUAWEICLOUD_SDK_PROJECT_ID ?? "",
  auth: { token: process.env.MODELARTS_TOKEN ?? "" },
});

const task = await client.getExportTask("WxCREuCkBSAlQr9xrde", "rF9NNoB56k5rtYKg2Y7");
console.log(task.status, task.progress); // "SUCCESSED" (sic) when done

// Or poll until it ends, with backoff and progress:
try {
  await client.waitForExportTask("WxCREuCkBSAlQr9xrde", "rF9NNoB56k5rtYKg2Y7", {
    onProgress: ({ status, progress, finished_sample_count, total_sample_count }) =>
      console.log(status, `${progress ?? 0}%`, `${finished_sample_count ?? 0}/${total_sample_count ?? 0}`),
    timeoutMs: 30 * 60_000,
  });
} catch (error) {
  if (error instanceof ExportTaskFailedError) console.error(error.errorCode, error.errorMsg);
  throw error;
}
