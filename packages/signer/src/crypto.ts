// SHA-256 and HMAC-SHA256 two ways. On Node (and runtimes that offer
// process.getBuiltinModule), node:crypto, synchronous and several times faster
// than Web Crypto there; it is reached at run time, so no bundle for a browser
// pulls it in. Everywhere else, Web Crypto.

export type Engine = "node" | "web";

/** Bytes to hash: text is hashed as UTF-8. */
export type BodyBytes = string | ArrayBuffer | ArrayBufferView;

export interface Hasher {
  engine: Engine;
  sha256(data: BodyBytes): string | Promise<string>;
  /** HMAC-SHA256 keyed by the secret key, as hex. */
  hmac(text: string): string | Promise<string>;
}

interface NodeHash {
  update(data: string | ArrayBufferView): NodeHash;
  digest(encoding: "hex"): string;
}
interface NodeCrypto {
  createHash(algorithm: string): NodeHash;
  createHmac(algorithm: string, key: string): NodeHash;
}

const nodeCrypto = (): NodeCrypto | undefined =>
  (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.(
    "node:crypto",
  ) as NodeCrypto | undefined;

const encoder = new TextEncoder();
const bytesOf = (data: BodyBytes): BufferSource =>
  (typeof data === "string" ? encoder.encode(data) : data) as BufferSource;
const hex = (buffer: ArrayBuffer): string =>
  Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");

/** The engine asked for, else node:crypto where the runtime offers it, else Web Crypto. */
export function createHasher(secretKey: string, engine?: Engine): Hasher {
  const node = engine !== "web" && nodeCrypto();
  if (node)
    return {
      engine: "node",
      sha256: (data) =>
        node
          .createHash("sha256")
          .update(data instanceof ArrayBuffer ? new Uint8Array(data) : data)
          .digest("hex"),
      hmac: (text) => node.createHmac("sha256", secretKey).update(text).digest("hex"),
    };
  const subtle = engine !== "node" && globalThis.crypto?.subtle;
  if (!subtle) throw new TypeError(`No ${engine ?? "Web Crypto or node:crypto"} engine for AK/SK signing`);
  let key: Promise<CryptoKey> | undefined;
  return {
    engine: "web",
    sha256: async (data) => hex(await subtle.digest("SHA-256", bytesOf(data))),
    async hmac(text) {
      key ??= subtle.importKey("raw", bytesOf(secretKey), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      return hex(await subtle.sign("HMAC", await key, bytesOf(text)));
    },
  };
}
