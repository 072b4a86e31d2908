REGION=cn-north-4
HOST=https://modelarts.$REGION.myhuaweicloud.com
URL=$HOST/v2/$PROJECT_ID/datasets/$DATASET_ID
curl "$URL/export-tasks/$TASK_ID" \
  -H "X-Auth-Token: $TOKEN"
