#!/usr/bin/env node
// The built spec against the last released one (openapi/released/): lists
// every change with its class, and fails on a breaking change unless a major
// changeset of @modelarts-export/openapi is pending.
//
//   npm run spec:check
import { repoRoot } from "../src/paths.mjs";
import { checkSpecAgainstRelease } from "../src/released.mjs";

const { ok, message, changes } = await checkSpecAgainstRelease(repoRoot);
const seen = new Set();
for (const change of changes) {
  const line = `${change.type.padEnd(12)} ${change.action.padEnd(7)} ${change.location}`;
  if (!seen.has(line)) console.log(seen.add(line) && line);
}
(ok ? console.log : console.error)(message);
process.exitCode = ok ? 0 : 1;
