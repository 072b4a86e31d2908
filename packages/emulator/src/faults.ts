// Faults that test authors ask for through the control API (or the
// startEmulator() handle): answers with an error status, delays, dropped
// connections, and exports that fail part-way. Each is used up by the
// requests or exports it matches.
import { randomBytes } from "node:crypto";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describeError } from "@modelarts-export/openapi/validate";

export const OPERATIONS = ["createExportTask", "getExportTask", "listExportTasks"] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface FaultRequest {
  /** Which operation it hits, or "*" for all three. */
  operation: Operation | "*";
  /** How many matching requests it hits (default 1). */
  times?: number;
  /** Answer with this HTTP status and the error body below. */
  status?: number;
  error_code?: string;
  error_msg?: string;
  /** Retry-After header of the answer, in seconds. */
  retry_after_s?: number;
  /** Wait this long before answering (or dropping). */
  delay_ms?: number;
  /** Close the connection without an answer. */
  drop?: boolean;
}

export interface Fault extends Required<Pick<FaultRequest, "operation" | "times">> {
  id: string;
  status?: number;
  error_code: string;
  error_msg: string;
  retry_after_s?: number;
  delay_ms: number;
  drop: boolean;
}

export interface TaskOutcomeRequest {
  dataset_id: string;
  /** The state the export ends in; only FAILED. */
  status?: "FAILED";
  error_code?: string;
  error_msg?: string;
  /** Samples exported before it fails (default 0). */
  after_samples?: number;
}

export interface TaskOutcome {
  id: string;
  dataset_id: string;
  status: "FAILED";
  error_code: string;
  error_msg: string;
  after_samples: number;
}

export class InvalidControlRequest extends Error {}

const MAX_DELAY_MS = 600_000;

const ajv = new Ajv2020({ allErrors: false, strict: true });
const validateFault = ajv.compile<FaultRequest>({
  type: "object",
  additionalProperties: false,
  required: ["operation"],
  properties: {
    operation: { enum: [...OPERATIONS, "*"] },
    times: { type: "integer", minimum: 1, maximum: 1_000_000 },
    status: { type: "integer", minimum: 400, maximum: 599 },
    error_code: { type: "string", minLength: 1, maxLength: 64 },
    error_msg: { type: "string", maxLength: 4096 },
    retry_after_s: { type: "integer", minimum: 0, maximum: 86_400 },
    delay_ms: { type: "integer", minimum: 0, maximum: MAX_DELAY_MS },
    drop: { type: "boolean" },
  },
});
const validateOutcome = ajv.compile<TaskOutcomeRequest>({
  type: "object",
  additionalProperties: false,
  required: ["dataset_id"],
  properties: {
    dataset_id: { type: "string", minLength: 1 },
    status: { enum: ["FAILED"] },
    error_code: { type: "string", minLength: 1, maxLength: 64 },
    error_msg: { type: "string", maxLength: 4096 },
    after_samples: { type: "integer", minimum: 0 },
  },
});

function check<T>(validate: { (value: unknown): value is T; errors?: unknown }, value: unknown): T {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InvalidControlRequest("the body must be a JSON object");
  if (!validate(value)) {
    const [first] = (validate.errors ?? []) as Parameters<typeof describeError>[0][];
    throw new InvalidControlRequest(first ? describeError(first, "") : "the body is invalid");
  }
  return value;
}

const newId = (): string => randomBytes(8).toString("hex");

/** Error codes by status, for faults that give a status and no code. */
const DEFAULT_CODES: Record<number, string> = { 429: "ModelArts.4395", 500: "ModelArts.0010" };

export interface Faults {
  add(request: unknown): Fault;
  clear(): void;
  /** The fault the next request of `operation` gets, if any (one of its `times` used up). */
  take(operation: Operation): Fault | undefined;
  addOutcome(request: unknown): TaskOutcome;
  clearOutcomes(): void;
  /** The outcome for the next export of a dataset, if any (used up). */
  takeOutcome(projectId: string, datasetId: string): TaskOutcome | undefined;
}

export function createFaults(): Faults {
  const faults: Fault[] = [];
  const outcomes: TaskOutcome[] = [];
  return {
    add(request) {
      const r = check(validateFault, request);
      if (r.status === undefined && r.delay_ms === undefined && !r.drop)
        throw new InvalidControlRequest("a fault needs status, delay_ms or drop: true");
      if (r.drop && r.status !== undefined)
        throw new InvalidControlRequest("drop: true closes the connection, so it cannot have a status too");
      const status = r.status;
      const fault: Fault = {
        id: newId(),
        operation: r.operation,
        times: r.times ?? 1,
        ...(status === undefined ? {} : { status }),
        error_code: r.error_code ?? DEFAULT_CODES[status ?? 500] ?? "ModelArts.0010",
        error_msg: r.error_msg ?? `Fault injected by the emulator's control API (HTTP ${status ?? "-"}).`,
        ...(r.retry_after_s === undefined ? {} : { retry_after_s: r.retry_after_s }),
        delay_ms: r.delay_ms ?? 0,
        drop: r.drop ?? false,
      };
      faults.push(fault);
      return fault;
    },
    clear() {
      faults.length = 0;
    },
    take(operation) {
      const index = faults.findIndex((f) => f.operation === operation || f.operation === "*");
      const fault = faults[index];
      if (!fault) return undefined;
      fault.times -= 1;
      if (fault.times <= 0) faults.splice(index, 1);
      return fault;
    },
    addOutcome(request) {
      const r = check(validateOutcome, request);
      const outcome: TaskOutcome = {
        id: newId(),
        dataset_id: r.dataset_id,
        status: "FAILED",
        error_code: r.error_code ?? "ModelArts.0010",
        error_msg: r.error_msg ?? "Export failed as the emulator's control API asked.",
        after_samples: r.after_samples ?? 0,
      };
      outcomes.push(outcome);
      return outcome;
    },
    clearOutcomes() {
      outcomes.length = 0;
    },
    takeOutcome(_projectId, datasetId) {
      const index = outcomes.findIndex((o) => o.dataset_id === datasetId);
      return index < 0 ? undefined : outcomes.splice(index, 1)[0];
    },
  };
}
