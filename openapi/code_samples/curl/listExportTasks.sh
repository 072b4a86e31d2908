curl "https://modelarts.cn-north-4.myhuaweicloud.com/v2/$PROJECT_ID/datasets/$DATASET_ID/export-tasks?export_type=0&limit=10&offset=0" \
  -H "X-Auth-Token: $TOKEN"
