REGION=cn-north-4
HOST=https://modelarts.$REGION.myhuaweicloud.com
URL=$HOST/v2/$PROJECT_ID/datasets/$DATASET_ID
curl -X POST "$URL/export-tasks" \
  -H "X-Auth-Token: $TOKEN" \
  -H "Content-Type: application/json" \
  -d '{"path": "/my-bucket/exports/coco/",
       "export_type": 0,
       "annotation_format": "COCO"}'
