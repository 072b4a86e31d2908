// Entry for the browser: served at /static/ by the emulator, so the API is the
// page's own origin. The settings come in the URL's fragment (JSON); the
// result, or the error, goes to window.runResult for the test to read.
import { runExport, type RunSettings } from "./program.js";

declare global {
  interface Window {
    runResult?: Promise<unknown>;
  }
}

const settings = JSON.parse(decodeURIComponent(location.hash.slice(1))) as Omit<RunSettings, "baseUrl">;
window.runResult = runExport({ ...settings, baseUrl: location.origin }).then(
  (result) => ({ ok: true, result }),
  (error: unknown) => ({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
);
