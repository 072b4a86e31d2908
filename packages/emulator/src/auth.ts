// Who is calling: an IAM token (X-Auth-Token) or an AK/SK signature
// (SDK-HMAC-SHA256), verified the way the API gateway does: the canonical
// request is rebuilt from what arrived, over the exact body bytes.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { errors } from "./errors.js";

export interface Credentials {
  /** token -> project id */
  tokens: Map<string, string>;
  /** access key -> secret key and project id */
  keys: Map<string, { secretKey: string; projectId: string }>;
}

const SKEW_MS = 15 * 60 * 1000;

/** RFC 3986 unreserved characters stay, everything else is %XX (uppercase). */
export const encode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
};

export function canonicalUri(rawPath: string): string {
  const path = rawPath
    .split("/")
    .map((segment) => encode(decode(segment)))
    .join("/");
  return path.endsWith("/") ? path : `${path}/`;
}

/** Sorted by decoded key then decoded value (as Huawei's signers do), then encoded. */
export function canonicalQuery(rawQuery: string): string {
  if (!rawQuery) return "";
  const pairs = rawQuery
    .split("&")
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf("=");
      const key = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? "" : pair.slice(eq + 1);
      return [decode(key), decode(value)] as const;
    });
  pairs.sort(([ka, va], [kb, vb]) => (ka === kb ? (va < vb ? -1 : va > vb ? 1 : 0) : ka < kb ? -1 : 1));
  return pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&");
}

function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

export interface SignedRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
};

/** The project the caller may act on, or the gateway's 401. */
export function authenticate(request: SignedRequest, credentials: Credentials, now = Date.now()): string {
  const token = header(request.headers, "x-auth-token");
  if (token !== undefined) {
    const project = credentials.tokens.get(token);
    if (!project) throw errors.unauthorized("the token is invalid or expired");
    return project;
  }
  const authorization = header(request.headers, "authorization");
  if (!authorization) throw errors.unauthorized("send X-Auth-Token or an SDK-HMAC-SHA256 Authorization header");
  return verifySignature(request, authorization, credentials, now);
}

function verifySignature(request: SignedRequest, authorization: string, credentials: Credentials, now: number): string {
  const m = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
    authorization.trim(),
  );
  if (!m)
    throw errors.unauthorized(
      "the Authorization header is not SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...",
    );
  const [, accessKey = "", signedHeaderList = "", signature = ""] = m;
  const key = credentials.keys.get(accessKey);
  if (!key) throw errors.unauthorized("the access key is unknown");
  const sdkDate = header(request.headers, "x-sdk-date") ?? "";
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === undefined) throw errors.unauthorized("X-Sdk-Date must be YYYYMMDDTHHMMSSZ");
  if (Math.abs(now - signedAt) > SKEW_MS)
    throw errors.unauthorized("X-Sdk-Date is more than 15 minutes from the server's clock");
  const signedHeaders = signedHeaderList.split(";");
  if (!signedHeaders.includes("host") || !signedHeaders.includes("x-sdk-date")) {
    throw errors.unauthorized("SignedHeaders must include host and x-sdk-date");
  }
  const [rawPath = "/", rawQuery = ""] = request.url.split("?", 2) as [string, string?];
  const canonical = [
    request.method.toUpperCase(),
    canonicalUri(rawPath),
    canonicalQuery(rawQuery ?? ""),
    signedHeaders.map((name) => `${name}:${(header(request.headers, name) ?? "").trim()}\n`).join(""),
    signedHeaderList,
    createHash("sha256").update(request.body).digest("hex"),
  ].join("\n");
  const stringToSign = `SDK-HMAC-SHA256\n${sdkDate}\n${createHash("sha256").update(canonical).digest("hex")}`;
  const expected = createHmac("sha256", key.secretKey).update(stringToSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) {
    // Like the gateway, echo the canonical request (| for newlines) so a client can compare.
    throw errors.unauthorized(`verify aksk signature fail, canonicalRequest: ${canonical.replace(/\n/g, "|")}`);
  }
  return key.projectId;
}
