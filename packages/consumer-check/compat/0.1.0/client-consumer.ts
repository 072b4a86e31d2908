// A consumer's program against the published @modelarts-export/client: the
// quickstart of its README, type-checked on TypeScript 5.9 and 7.
import {
  createExportClient,
  ExportTaskFailedError,
  ModelArtsApiError,
  type ExportClient,
  type ExportProgress,
  type ExportTaskStatus,
} from "@modelarts-export/client";

export async function exportToCoco(baseUrl: string): Promise<ExportTaskStatus> {
  const client = createExportClient({
    baseUrl,
    projectId: "demo-project",
    auth: { accessKey: "demo-ak", secretKey: "demo-sk" },
  });
  const { task_id } = await client.createExportTask("demo-detection", {
    path: "/demo-bucket/consumer/coco/",
    export_type: 0,
    annotation_format: "COCO",
    export_params: { train_sample_ratio: "0.8", ratio_sample_usage: true },
  });
  try {
    return await client.waitForExportTask("demo-detection", task_id ?? "", {
      intervalMs: 10,
      onProgress: (p: ExportProgress) => console.log(p.status, p.progress),
    });
  } catch (error) {
    if (error instanceof ExportTaskFailedError) console.error(error.errorCode, error.errorMsg);
    if (error instanceof ModelArtsApiError) console.error(error.status, error.requestId);
    throw error;
  }
}

export async function rawList(baseUrl: string): Promise<number | undefined> {
  const client = createExportClient({ baseUrl, projectId: "demo-project", auth: { token: "demo-token" } });
  const { data, error } = await client.raw.GET("/v2/{project_id}/datasets/{dataset_id}/export-tasks", {
    params: { path: { project_id: "demo-project", dataset_id: "demo-detection" }, query: { limit: 5 } },
  });
  if (error) return undefined;
  return data.total_count;
}

// @ts-expect-error YOLO is not an annotation format of the API
export const yolo: Parameters<ExportClient["createExportTask"]>[1] = { annotation_format: "YOLO" };
