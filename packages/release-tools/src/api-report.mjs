// API Extractor reports: the public API of a package as one reviewed file,
// review/<name>.api.md. `checkApiReport` fails with the diff when the built
// declarations no longer match it; `updateApiReport` rewrites it.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";
import { createTwoFilesPatch } from "diff";

/**
 * Runs API Extractor for the package in `dir` (which has an
 * api-extractor.json). `update: true` writes the report; otherwise the
 * committed one is compared. Returns `{ changed, diff, messages }`.
 */
export function runApiReport(dir, { update }) {
  const config = ExtractorConfig.loadFileAndPrepare(join(dir, "api-extractor.json"));
  if (update) mkdirSync(config.reportFolder, { recursive: true });
  const messages = [];
  const result = Extractor.invoke(config, {
    localBuild: update,
    messageCallback(message) {
      // Printed by the caller with the diff; the report change itself is the diff.
      if (message.logLevel === "error" || message.logLevel === "warning") {
        if (!String(message.messageId).startsWith("console-api-report"))
          messages.push(message.formatMessageWithLocation(dir));
      }
      message.handled = true;
    },
  });
  const committed = config.reportConfigs[0] && join(config.reportFolder, config.reportConfigs[0].fileName);
  const built = config.reportConfigs[0] && join(config.reportTempFolder, config.reportConfigs[0].fileName);
  const read = (file) => (existsSync(file) ? readFileSync(file, "utf8").replaceAll("\r\n", "\n") : "");
  const diff =
    result.apiReportChanged && !update
      ? createTwoFilesPatch(relative(dir, committed), "built declarations", read(committed), read(built))
      : "";
  return { changed: result.apiReportChanged, succeeded: result.succeeded, diff, messages, report: committed };
}
