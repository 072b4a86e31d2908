import { createExportClient, ModelArtsApiError } from "@modelarts-export/client";

const client = createExportClient({
  region: "cn-north-4",
  projectId: process.env.HUAWEICLOUD_SDK_PROJECT_ID ?? "",
  auth: { accessKey: process.env.HUAWEICLOUD_SDK_AK ?? "", secretKey: process.env.HUAWEICLOUD_SDK_SK ?? "" },
});

try {
  // Sent once, never retried: a retry could start a second export.
  const { task_id } = await client.createExportTask("WxCREuCkBSAlQr9xrde", {
    path: "/my-bucket/exports/coco/",
    export_type: 0,
    annotation_format: "COCO",
    export_params: { train_sample_ratio: "0.8", ratio_sample_usage: true },
  });
  console.log(`created ${task_id}`);
} catch (error) {
  if (error instanceof ModelArtsApiError) console.error(error.errorCode, error.errorMsg, error.requestId);
  throw error;
}
