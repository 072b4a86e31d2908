// Who is calling: an IAM token (X-Auth-Token) or an AK/SK signature
// (SDK-HMAC-SHA256), verified by @modelarts-export/signer, the same code that
// signs the client's requests.
import type { IncomingHttpHeaders } from "node:http";
import { verifySignature } from "@modelarts-export/signer";
import { errors } from "./errors.js";

export { canonicalQuery, canonicalUri } from "@modelarts-export/signer";

export interface Credentials {
  /** token -> project id */
  tokens: Map<string, string>;
  /** access key -> secret key and project id */
  keys: Map<string, { secretKey: string; projectId: string }>;
}

export interface SignedRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The project the caller may act on, or the gateway's 401. */
export async function authenticate(
  request: SignedRequest,
  credentials: Credentials,
  now = Date.now(),
): Promise<string> {
  const token = request.headers["x-auth-token"];
  if (token !== undefined) {
    const project = credentials.tokens.get(String(token));
    if (!project) throw errors.unauthorized("the token is invalid or expired");
    return project;
  }
  if (!request.headers.authorization)
    throw errors.unauthorized("send X-Auth-Token or an SDK-HMAC-SHA256 Authorization header");
  const result = await verifySignature(request, {
    secretKeyFor: (accessKey) => credentials.keys.get(accessKey)?.secretKey,
    now,
  });
  if (result.ok) return (credentials.keys.get(result.accessKey) as { projectId: string }).projectId;
  // Like the gateway, echo the canonical request (| for newlines) so a client can compare.
  const echo = result.canonicalRequest ? `, canonicalRequest: ${result.canonicalRequest.replace(/\n/g, "|")}` : "";
  throw errors.unauthorized(`${result.canonicalRequest ? "verify aksk signature fail" : result.reason}${echo}`);
}
