// The control API for test authors (`--control`): reset the emulator, and
// inject faults into requests and exports. Any credential the emulator
// accepts may use it; answers and errors are JSON like the API's.
import type { IncomingMessage } from "node:http";
import { authenticate, type Credentials } from "./auth.js";
import { apiError, errors, type ApiError } from "./errors.js";
import { InvalidControlRequest, type Faults } from "./faults.js";

export const CONTROL_PREFIX = "/_emulator/";

export interface Control {
  faults: Faults;
  /** Forgets every task and every dataset made by an export. */
  reset(): Promise<void>;
}

const invalid = (message: string): ApiError => apiError(400, "ModelArts.4396", `Parameter is invalid: ${message}`);

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw errors.malformedJson((error as Error).message);
  }
}

/** Answers a request under /_emulator/: [status, body (undefined for none)]. */
export async function handleControl(
  request: IncomingMessage,
  path: string,
  body: Buffer,
  credentials: Credentials,
  control: Control,
): Promise<[number, unknown]> {
  const method = request.method ?? "GET";
  await authenticate({ method, url: request.url ?? "/", headers: request.headers, body }, credentials);
  const route = `${method} ${path.replace(/\/$/, "")}`;
  try {
    switch (route) {
      case "POST /_emulator/reset":
        await control.reset();
        return [204, undefined];
      case "POST /_emulator/faults":
        return [201, { id: control.faults.add(parse(body)).id }];
      case "DELETE /_emulator/faults":
        control.faults.clear();
        return [204, undefined];
      case "POST /_emulator/task-outcomes":
        return [201, { id: control.faults.addOutcome(parse(body)).id }];
      case "DELETE /_emulator/task-outcomes":
        control.faults.clearOutcomes();
        return [204, undefined];
    }
  } catch (error) {
    throw error instanceof InvalidControlRequest ? invalid(error.message) : error;
  }
  const known = ["/_emulator/reset", "/_emulator/faults", "/_emulator/task-outcomes"];
  if (known.includes(path.replace(/\/$/, ""))) throw errors.methodNotAllowed(method);
  throw errors.notFound(path);
}
