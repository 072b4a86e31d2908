REGION=cn-north-4
HOST=https://modelarts.$REGION.myhuaweicloud.com
URL=$HOST/v2/$PROJECT_ID/datasets/$DATASET_ID
curl -G "$URL/export-tasks" \
  -d export_type=0 -d limit=10 -d offset=0 \
  -H "X-Auth-Token: $TOKEN"
