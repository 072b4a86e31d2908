export { startEmulator, type DatasetOption, type EmulatorOptions, type RunningEmulator } from "./emulator.js";
export { DEMO, writeDetectionDataset } from "./demo.js";
