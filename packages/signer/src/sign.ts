// Signing a request with an AK/SK pair.
import { ALGORITHM, canonicalQuery, canonicalRequest, canonicalUri, sdkDate, stringToSign } from "./canonical.js";
import { createHasher, type BodyBytes, type Engine } from "./crypto.js";

export interface SignerOptions {
  accessKey: string;
  secretKey: string;
  /** Temporary credentials: sent as X-Security-Token, and signed. */
  securityToken?: string;
  /** Force node:crypto or Web Crypto; by default node:crypto where the runtime offers it. */
  engine?: Engine;
}

export type HeadersInput = Headers | Record<string, string>;

export interface SignInput {
  method: string;
  /** The full URL, as sent; the host is signed from it. */
  url: string | URL;
  /** Headers to send; Content-Type, X-Sdk-*, X-Project-Id and X-Security-Token are signed. */
  headers?: HeadersInput;
  /** The exact bytes sent, or text sent as UTF-8. */
  body?: BodyBytes | undefined;
  /** Default: now. */
  date?: Date;
}

export interface Signer {
  readonly engine: Engine;
  /** The headers to add: X-Sdk-Date, Authorization and, for temporary credentials, X-Security-Token. */
  sign(input: SignInput): Promise<Record<string, string>>;
}

const SIGNED = /^(content-type|x-sdk-.*|x-project-id|x-security-token)$/;

export function createSigner({ accessKey, secretKey, securityToken, engine }: SignerOptions): Signer {
  if (!accessKey || !secretKey) throw new TypeError("Pass accessKey and secretKey");
  const hasher = createHasher(secretKey, engine);
  let emptyBodyHash: string | undefined;
  return {
    engine: hasher.engine,
    async sign({ method, url, headers = {}, body, date = new Date() }) {
      const target = new URL(url);
      const added: Record<string, string> = { "X-Sdk-Date": sdkDate(date) };
      if (securityToken) added["X-Security-Token"] = securityToken;
      const signed: Record<string, string> = { host: target.host };
      for (const [name, value] of [
        ...(headers instanceof Headers ? headers : Object.entries(headers)),
        ...Object.entries(added),
      ]) {
        const lower = name.toLowerCase();
        if (SIGNED.test(lower)) signed[lower] = value.trim();
      }
      const names = Object.keys(signed).sort();
      // Huawei's signers take a given X-Sdk-Content-Sha256 (such as UNSIGNED-PAYLOAD) as the body hash.
      const bodyHash =
        signed["x-sdk-content-sha256"] ??
        (body === undefined || body === "" ? (emptyBodyHash ??= await hasher.sha256("")) : await hasher.sha256(body));
      const canonical = canonicalRequest(
        method,
        canonicalUri(target.pathname),
        canonicalQuery(target.search),
        names.map((name) => [name, signed[name] as string]),
        bodyHash,
      );
      const signature = await hasher.hmac(stringToSign(added["X-Sdk-Date"] as string, await hasher.sha256(canonical)));
      added.Authorization = `${ALGORITHM} Access=${accessKey}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
      return added;
    },
  };
}
