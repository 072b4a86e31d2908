export { startEmulator, type DatasetOption, type EmulatorOptions, type RunningEmulator } from "./emulator.js";
export type { Fault, FaultRequest, Operation, TaskOutcome, TaskOutcomeRequest } from "./faults.js";
export { DEMO, writeDetectionDataset } from "./demo.js";
