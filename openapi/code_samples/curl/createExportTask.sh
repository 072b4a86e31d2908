curl -X POST "https://modelarts.cn-north-4.myhuaweicloud.com/v2/$PROJECT_ID/datasets/$DATASET_ID/export-tasks" \
  -H "X-Auth-Token: $TOKEN" \
  -H "Content-Type: application/json" \
  -d '{"path": "/my-bucket/exports/coco/", "export_type": 0, "annotation_format": "COCO"}'
