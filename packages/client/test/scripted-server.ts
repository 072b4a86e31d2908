// A stand-in for the API on 127.0.0.1 that answers from a script: each
// request gets what the handler returns for it (a status and JSON body, or a
// dropped connection), and every request is recorded.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type Answer = { status?: number; body?: unknown; headers?: Record<string, string> } | "drop";

export interface SeenRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
}

export interface ScriptedServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startScriptedServer(
  answer: (request: SeenRequest, index: number) => Answer,
): Promise<ScriptedServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    req.resume();
    const seen = {
      method: req.method ?? "GET",
      url: new URL(req.url ?? "/", "http://127.0.0.1"),
      headers: req.headers,
    };
    requests.push(seen);
    const reply = answer(seen, requests.length - 1);
    if (reply === "drop") return void req.socket.destroy();
    res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
    res.end(JSON.stringify(reply.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
