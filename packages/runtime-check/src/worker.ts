// Entry for workerd (Cloudflare Workers' runtime): a module worker whose test
// handler, run by `workerd test`, runs the program with the settings of its
// SETTINGS binding and logs the result as one JSON line.
import { runExport, type RunSettings } from "./program.js";

export default {
  async test(_controller: unknown, env: { SETTINGS: string }): Promise<void> {
    console.log(JSON.stringify(await runExport(JSON.parse(env.SETTINGS) as RunSettings)));
  },
};
