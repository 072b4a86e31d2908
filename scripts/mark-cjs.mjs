// Marks a folder of tsc output as CommonJS, so that Node and TypeScript read
// its .js and .d.ts files as such inside a "type": "module" package.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) throw new Error("usage: node scripts/mark-cjs.mjs DIR");
writeFileSync(join(dir, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
