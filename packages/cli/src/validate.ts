// Checks a create body against the spec before it is sent. A rule Huawei
// documents refuses (exit 2, nothing sent); a rule the spec only infers
// (`x-inferred`) is a warning on stderr, and the body is still sent, since
// the real service may accept it.
import { createRequestValidator, type RequestValidator } from "@modelarts-export/openapi/validate";
import type { ExportTaskRequest } from "@modelarts-export/client";
import { UsageError } from "./usage.js";

let validator: RequestValidator | undefined;

/** The body, if no documented rule refuses it; warnings for the inferred ones go to `warn`. */
export function checkBody(body: unknown, warn: (line: string) => void): ExportTaskRequest {
  validator ??= createRequestValidator();
  const problems = validator.createBody(body);
  const refused = problems.filter((p) => p.source === "documented");
  if (refused.length > 0)
    throw new UsageError(
      `the request body does not match the API (${refused[0]?.code}): ${refused.map((p) => p.message).join("; ")}`,
    );
  for (const problem of problems) warn(`warning: ${problem.message}; sending it anyway`);
  return body as ExportTaskRequest;
}
