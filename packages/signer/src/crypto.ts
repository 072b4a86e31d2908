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

let nodeCrypto: NodeCrypto | null | undefined; // undefined: not looked up yet
function loadNodeCrypto(): NodeCrypto | null {
  if (nodeCrypto === undefined) {
    const { process } = globalThis as { process?: { getBuiltinModule?(id: string): unknown } };
    nodeCrypto = (process?.getBuiltinModule?.("node:crypto") as NodeCrypto | undefined) ?? null;
  }
  return nodeCrypto;
}

const encoder = new TextEncoder();
const bytesOf = (data: BodyBytes): Uint8Array =>
  typeof data === "string"
    ? encoder.encode(data)
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

const hex = (buffer: ArrayBuffer): string => {
  let out = "";
  for (const byte of new Uint8Array(buffer)) out += (byte < 16 ? "0" : "") + byte.toString(16);
  return out;
};

/** The engine asked for, else node:crypto where the runtime offers it, else Web Crypto. */
export function createHasher(secretKey: string, engine?: Engine): Hasher {
  const node = engine === "web" ? undefined : loadNodeCrypto();
  if (node) {
    return {
      engine: "node",
      sha256: (data) =>
        node
          .createHash("sha256")
          .update(typeof data === "string" || ArrayBuffer.isView(data) ? data : new Uint8Array(data))
          .digest("hex"),
      hmac: (text) => node.createHmac("sha256", secretKey).update(text).digest("hex"),
    };
  }
  if (engine === "node") throw new TypeError('engine "node" needs process.getBuiltinModule("node:crypto")');
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new TypeError("AK/SK signing needs Web Crypto (crypto.subtle) or node:crypto");
  let key: Promise<CryptoKey> | undefined;
  return {
    engine: "web",
    sha256: async (data) => hex(await subtle.digest("SHA-256", bytesOf(data) as Uint8Array<ArrayBuffer>)),
    async hmac(text) {
      key ??= subtle.importKey("raw", encoder.encode(secretKey), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      return hex(await subtle.sign("HMAC", await key, encoder.encode(text)));
    },
  };
}
