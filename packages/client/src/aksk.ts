// What the client loads on its first AK/SK request (see authorizer in
// client.ts): only the signing half of @modelarts-export/signer.
export { createSigner } from "@modelarts-export/signer";
