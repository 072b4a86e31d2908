#!/usr/bin/env node
// The public API of a package (API Extractor report in review/*.api.md).
//
//   node ../release-tools/bin/api-report.mjs           in a package: fail with the diff if the API changed
//   node ../release-tools/bin/api-report.mjs --update  rewrite the report (npm run api:update at the root)
import { relative } from "node:path";
import { runApiReport } from "../src/api-report.mjs";

const update = process.argv.includes("--update");
const dir = process.cwd();
const { changed, succeeded, diff, messages, report } = runApiReport(dir, { update });
for (const message of messages) console.error(message);
if (update) {
  console.log(changed ? `updated ${relative(dir, report)}` : `${relative(dir, report)} is up to date`);
} else if (changed) {
  console.error(diff);
  console.error(
    `The public API differs from ${relative(dir, report)} (diff above). If the change is meant, run ` +
      "`npm run api:update`, commit the report for review, and add a changeset (major if it breaks callers).",
  );
  process.exit(1);
} else {
  console.log(`public API matches ${relative(dir, report)}`);
}
// Any other error or warning of API Extractor fails too (printed above).
if (!succeeded && !(changed && !update)) process.exit(1);
