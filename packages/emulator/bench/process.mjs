// What the benchmarks share: an emulator in a process of its own, and a
// plain node:http client on one kept-alive connection. In a fresh process
// fetch() costs the client more CPU than the requests cost the server, and
// on two cores the client would slow down what it measures.
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";

/**
 * Starts the emulator at `bin` over `storage`, token `t` for project `p`,
 * with the detection dataset `p/{datasetId}` of `manifest`. Resolves with
 * the child process and the URL it listens on.
 */
export function startEmulatorProcess(bin, storage, datasetId, manifest) {
  const child = spawn(
    process.execPath,
    [
      bin,
      "--storage",
      storage,
      "--port",
      "0",
      "--token",
      "t=p",
      "--dataset",
      `p/${datasetId}=${manifest}:object_detection`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url });
    });
    child.once("exit", (code) => reject(new Error(`emulator ${bin} exited with ${code}`)));
  });
}

/** `call(url, { method, headers, body })` resolves with the JSON answer; `close()` ends the connection. */
export function httpClient() {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    call: (url, { method = "GET", headers = {}, body } = {}) =>
      new Promise((resolve, reject) => {
        const req = request(url, { agent, method, headers }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk) => (text += chunk));
          res.on("end", () => resolve(JSON.parse(text)));
        });
        req.on("error", reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}
