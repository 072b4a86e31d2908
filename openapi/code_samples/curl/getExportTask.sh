curl "https://modelarts.cn-north-4.myhuaweicloud.com/v2/$PROJECT_ID/datasets/$DATASET_ID/export-tasks/$TASK_ID" \
  -H "X-Auth-Token: $TOKEN"
