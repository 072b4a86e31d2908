// Where ModelArts is served. Every region is modelarts.{region}.myhuaweicloud.com
// except ap-southeast-1, which Huawei's SDKs address under .myhuaweicloud.cn.

export const REGIONS = [
  "cn-north-1",
  "cn-north-2",
  "cn-north-4",
  "cn-north-9",
  "cn-north-11",
  "cn-north-12",
  "cn-south-1",
  "cn-east-3",
  "cn-east-4",
  "cn-southwest-2",
  "cn-southwest-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "af-south-1",
  "af-north-1",
  "la-south-2",
  "la-north-2",
  "sa-brazil-1",
  "tr-west-1",
  "me-east-1",
] as const;

export type Region = (typeof REGIONS)[number];

export function endpointFor(region: string): string {
  if (!(REGIONS as readonly string[]).includes(region))
    throw new TypeError(`Unknown ModelArts region "${region}": pass one of ${REGIONS.join(", ")}, or baseUrl`);
  return `https://modelarts.${region}.myhuaweicloud.${region === "ap-southeast-1" ? "cn" : "com"}`;
}
