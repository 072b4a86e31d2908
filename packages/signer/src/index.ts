export { canonicalQuery, canonicalUri, encodeRfc3986, sdkDate } from "./canonical.js";
export type { BodyBytes, Engine } from "./crypto.js";
export { createSigner, type HeadersInput, type SignInput, type Signer, type SignerOptions } from "./sign.js";
export {
  parseSdkDate,
  verifySignature,
  type ReceivedHeaders,
  type Verification,
  type VerifyInput,
  type VerifyOptions,
} from "./verify.js";
