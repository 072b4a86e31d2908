// node quickstart.mjs (Node 20+, ESM). The same code type-checks as TypeScript.
import { createExportClient, endpointFor, ExportTaskFailedError, ModelArtsApiError } from "@modelarts-export/client";

const client = createExportClient({
  baseUrl: process.env.MODELARTS_ENDPOINT ?? endpointFor("cn-north-4"), // the emulator: http://127.0.0.1:8080
  projectId: process.env.HUAWEICLOUD_SDK_PROJECT_ID ?? "",
  auth: { accessKey: process.env.HUAWEICLOUD_SDK_AK ?? "", secretKey: process.env.HUAWEICLOUD_SDK_SK ?? "" },
  // or auth: { token } (an IAM token); temporary credentials add securityToken
});
const datasetId = process.env.MODELARTS_DATASET_ID ?? "WxCREuCkBSAlQr9xrde";

try {
  const { task_id } = await client.createExportTask(datasetId, {
    path: "/my-bucket/exports/coco/",
    export_type: 0, // labelled samples
    annotation_format: "COCO",
    export_params: { train_sample_ratio: "0.8", ratio_sample_usage: true },
  });
  const task = await client.waitForExportTask(datasetId, task_id, {
    onProgress: ({ status, progress, finished_sample_count, total_sample_count }) =>
      console.log(status, `${progress ?? 0}%`, `${finished_sample_count ?? 0}/${total_sample_count ?? "?"}`),
  });
  console.log("done:", task.status); // "SUCCESSED", the service's spelling
} catch (error) {
  if (error instanceof ExportTaskFailedError) console.error("export failed:", error.message);
  else if (error instanceof ModelArtsApiError)
    console.error(error.message); // ModelArts.4352 Dataset does not exist. (404, request 5f...) in createExportTask
  else throw error;
  process.exitCode = 1;
}
