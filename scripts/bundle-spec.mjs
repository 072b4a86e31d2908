// Bundles the split description in openapi/ into single files under
// openapi/dist/: English YAML and JSON, and the Chinese edition (the zh
// overlay applied to the same source).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { redocly, root } from "./redocly.mjs";

const specDir = join(root, "openapi");
mkdirSync(join(specDir, "dist"), { recursive: true });
for (const [output, ...extra] of [
  ["dist/openapi.yaml"],
  ["dist/openapi.json"],
  ["dist/openapi.zh.yaml", "--overlay", "overlays/zh.yaml"],
]) {
  redocly(["bundle", "openapi.yaml", "-o", output, ...extra], specDir);
}
console.log("bundled openapi/dist/openapi.yaml, openapi.json and openapi.zh.yaml");
