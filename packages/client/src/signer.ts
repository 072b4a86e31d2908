// SDK-HMAC-SHA256, Huawei Cloud's AK/SK request signing, on Web Crypto
// (globalThis.crypto.subtle) and nothing from Node, so that it runs in Node
// 18+, browsers, Deno, Bun and edge workers alike.

export interface AkSkCredentials {
  accessKey: string;
  secretKey: string;
  /** Temporary credentials: sent as X-Security-Token, and signed. */
  securityToken?: string;
}

const encoder = new TextEncoder();

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

/** RFC 3986 unreserved characters stay; everything else is %XX in upper case. */
export const encodeRfc3986 = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** Each path segment encoded, with a trailing slash added (for signing only). */
export function canonicalUri(pathname: string): string {
  const path = pathname
    .split("/")
    .map((segment) => encodeRfc3986(decode(segment)))
    .join("/");
  return path.endsWith("/") ? path : `${path}/`;
}

/**
 * Sorted by key then value, as decoded (Huawei's signers sort the raw
 * values, then encode), encoded like the path; `k=` for empty values.
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
export const sdkDate = (date: Date): string =>
  date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

export interface SignInput {
  method: string;
  url: string;
  /** Headers to send; host is taken from the URL. */
  headers: Record<string, string>;
  /** The exact bytes sent, or text sent as UTF-8. */
  body: ArrayBuffer | string | undefined;
  date?: Date;
}

export interface Signer {
  /** The headers to add: X-Sdk-Date, Authorization and, for temporary credentials, X-Security-Token. */
  sign(input: SignInput): Promise<Record<string, string>>;
}

/** A signer that imports the secret key once and reuses it. */
export function createSigner(credentials: AkSkCredentials): Signer {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new TypeError("AK/SK signing needs Web Crypto (globalThis.crypto.subtle).");
  const key = subtle.importKey("raw", encoder.encode(credentials.secretKey), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const sha256 = async (data: ArrayBuffer | string): Promise<string> =>
    hex(await subtle.digest("SHA-256", typeof data === "string" ? encoder.encode(data) : data));
  // Every GET has an empty body: hash it once.
  const emptyBodyHash = sha256("");

  return {
    async sign({ method, url, headers, body, date = new Date() }) {
      const target = new URL(url);
      const added: Record<string, string> = { "X-Sdk-Date": sdkDate(date) };
      if (credentials.securityToken) added["X-Security-Token"] = credentials.securityToken;
      const signed: Record<string, string> = { host: target.host };
      for (const [name, value] of Object.entries({ ...headers, ...added })) {
        const lower = name.toLowerCase();
        if (/^(content-type|x-sdk-.*|x-project-id|x-security-token)$/.test(lower)) signed[lower] = value.trim();
      }
      const names = Object.keys(signed).sort();
      const canonical = [
        method.toUpperCase(),
        canonicalUri(target.pathname),
        canonicalQuery(target.search),
        names.map((n) => `${n}:${signed[n]}\n`).join(""),
        names.join(";"),
        await (body ? sha256(body) : emptyBodyHash),
      ].join("\n");
      const stringToSign = `SDK-HMAC-SHA256\n${added["X-Sdk-Date"]}\n${await sha256(canonical)}`;
      const signature = hex(await subtle.sign("HMAC", await key, encoder.encode(stringToSign)));
      added.Authorization = `SDK-HMAC-SHA256 Access=${credentials.accessKey}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
      return added;
    },
  };
}
