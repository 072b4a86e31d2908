// Verifying an SDK-HMAC-SHA256 signature the way the API gateway does: the
// canonical request is rebuilt from what arrived, over the exact body bytes.
import { canonicalQuery, canonicalRequest, canonicalUri, stringToSign } from "./canonical.js";
import { createHasher, type BodyBytes, type Engine } from "./crypto.js";

/** Headers as received: a Headers object, or Node's lower-case record. */
export type ReceivedHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyInput {
  method: string;
  /** The request target exactly as received (path and query), or a full URL. */
  url: string;
  headers: ReceivedHeaders;
  /** The exact bytes received. */
  body?: BodyBytes | undefined;
}

export interface VerifyOptions {
  /** The secret key of an access key, or undefined if the key is unknown. */
  secretKeyFor(accessKey: string): string | undefined | Promise<string | undefined>;
  /** Default: Date.now(). */
  now?: number;
  /** Largest accepted distance between X-Sdk-Date and now (default 15 minutes, as the gateway). */
  maxSkewMs?: number;
  engine?: Engine;
}

export type Verification =
  { ok: true; accessKey: string } | { ok: false; reason: string; accessKey?: string; canonicalRequest?: string };

const AUTHORIZATION = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

const headerOf = (headers: ReceivedHeaders, name: string): string | undefined => {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
};

/** `YYYYMMDDTHHMMSSZ` as milliseconds, or undefined. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

/** Equal strings, compared in time that does not depend on where they differ. */
function sameText(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length && i < b.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export async function verifySignature(request: VerifyInput, options: VerifyOptions): Promise<Verification> {
  const authorization = headerOf(request.headers, "authorization")?.trim() ?? "";
  const m = AUTHORIZATION.exec(authorization);
  if (!m)
    return {
      ok: false,
      reason: "the Authorization header is not SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...",
    };
  const [, accessKey = "", signedHeaderList = "", signature = ""] = m;
  const secretKey = await options.secretKeyFor(accessKey);
  if (!secretKey) return { ok: false, reason: "the access key is unknown", accessKey };
  const date = headerOf(request.headers, "x-sdk-date") ?? "";
  const signedAt = parseSdkDate(date);
  if (signedAt === undefined) return { ok: false, reason: "X-Sdk-Date must be YYYYMMDDTHHMMSSZ", accessKey };
  const maxSkewMs = options.maxSkewMs ?? 15 * 60_000;
  if (Math.abs((options.now ?? Date.now()) - signedAt) > maxSkewMs)
    return {
      ok: false,
      reason: `X-Sdk-Date is more than ${maxSkewMs / 60_000} minutes from the server's clock`,
      accessKey,
    };
  const names = signedHeaderList.split(";");
  if (!names.includes("host") || !names.includes("x-sdk-date"))
    return { ok: false, reason: "SignedHeaders must include host and x-sdk-date", accessKey };

  const hasher = createHasher(secretKey, options.engine);
  const headers = names.map((name): [string, string] => [name, (headerOf(request.headers, name) ?? "").trim()]);
  const bodyHash = await hasher.sha256(request.body ?? "");
  const declared = headerOf(request.headers, "x-sdk-content-sha256");
  // A declared body hash stands for the body (UNSIGNED-PAYLOAD, or the hash itself, which must then be right).
  if (declared && declared !== "UNSIGNED-PAYLOAD" && declared !== bodyHash)
    return { ok: false, reason: "X-Sdk-Content-Sha256 is not the SHA-256 of the body", accessKey };

  let target = request.url;
  if (!target.startsWith("/")) {
    const { pathname, search } = new URL(target);
    target = pathname + search;
  }
  const q = target.indexOf("?");
  const path = q < 0 ? target : target.slice(0, q);
  const query = canonicalQuery(q < 0 ? "" : target.slice(q + 1));
  // Huawei's Node AKSKSigner encodes a path that is already percent-encoded
  // a second time: when the usual form fails, that one is tried too.
  const uris = [canonicalUri(path)];
  if (path.includes("%")) uris.push(canonicalUri(path, false));
  let first: string | undefined;
  for (const uri of uris) {
    const canonical = canonicalRequest(request.method, uri, query, headers, declared ?? bodyHash);
    first ??= canonical;
    const expected = await hasher.hmac(stringToSign(date, await hasher.sha256(canonical)));
    if (sameText(expected, signature)) return { ok: true, accessKey };
  }
  return { ok: false, reason: "the signature does not match", accessKey, canonicalRequest: first as string };
}
