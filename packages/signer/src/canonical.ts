// The canonical request of SDK-HMAC-SHA256, shared by signing and
// verification so that both sides build it the same way.

/** RFC 3986 unreserved characters stay; everything else is %XX in upper case. */
export const encodeRfc3986 = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Percent-decoding that leaves text it cannot decode (a lone `%`) as it is. */
const decode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * Each path segment decoded, then encoded, with a trailing slash added (for
 * signing only). A `+` in a path is a plus sign, not a space. `decodeFirst:
 * false` encodes the segments as they are, which is what Huawei's Node
 * AKSKSigner does with a path that is already percent-encoded.
 */
export function canonicalUri(pathname: string, decodeFirst = true): string {
  const path = pathname
    .split("/")
    .map((segment) => encodeRfc3986(decodeFirst ? decode(segment) : segment))
    .join("/");
  return path.endsWith("/") ? path : `${path}/`;
}

/**
 * Pairs sorted by key then value, as decoded (Huawei's signers sort raw
 * values, then encode), encoded like the path; `k=` for an empty value. In a
 * query, `+` is a space, as in HTML forms.
 */
export function canonicalQuery(search: string): string {
  const pairs: [string, string][] = [];
  for (const part of search.replace(/^\?/, "").split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    pairs.push([decode(key.replace(/\+/g, " ")), decode(value.replace(/\+/g, " "))]);
  }
  pairs.sort(([ka, va], [kb, vb]) => (ka === kb ? (va < vb ? -1 : va > vb ? 1 : 0) : ka < kb ? -1 : 1));
  return pairs.map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(v)}`).join("&");
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export const sdkDate = (date: Date): string => date.toISOString().replace(/[-:]|\.\d{3}/g, "");

/** The six lines: method, URI, query, headers, signed header names, body hash. */
export const canonicalRequest = (
  method: string,
  uri: string,
  query: string,
  headers: [name: string, value: string][],
  bodyHash: string,
): string =>
  `${method.toUpperCase()}\n${uri}\n${query}\n${headers.map(([n, v]) => `${n}:${v}\n`).join("")}\n${headers
    .map(([n]) => n)
    .join(";")}\n${bodyHash}`;

export const ALGORITHM = "SDK-HMAC-SHA256";

export const stringToSign = (date: string, canonicalRequestHash: string): string =>
  `${ALGORITHM}\n${date}\n${canonicalRequestHash}`;
