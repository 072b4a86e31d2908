// A small HTTP proxy in front of the emulator that injects faults: each
// request takes the next planned fault (503, 429 with Retry-After, a dropped
// connection, or a hang: no answer until the client gives up) or, when none
// is left, is forwarded untouched.
import { createServer, request as forward, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Fault = "503" | "429" | "drop" | "hang";

export interface FaultProxy {
  url: string;
  plan(...faults: Fault[]): void;
  /** Every request seen, as "METHOD /path". */
  seen: string[];
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const faults: Fault[] = [];
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const fault = faults.shift();
    if (fault === "hang") {
      req.resume(); // closed by the client's abort, or by close()
      return;
    }
    if (fault === "drop") {
      req.socket.destroy();
      return;
    }
    if (fault === "503" || fault === "429") {
      req.resume();
      res.writeHead(Number(fault), {
        "content-type": "application/json",
        ...(fault === "429" ? { "retry-after": "0" } : {}),
      });
      res.end(
        JSON.stringify(
          fault === "429"
            ? { error_code: "ModelArts.4395", error_msg: "Too many dataset requests." }
            : { error_code: "APIGW.0503", error_msg: "Service unavailable." },
        ),
      );
      return;
    }
    const proxied = forward(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    proxied.on("error", () => res.destroy());
    req.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    plan: (...planned) => faults.push(...planned),
    seen,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
