// One version number for the spec: @modelarts-export/openapi's package
// version is the source (Changesets bumps it), and this writes it into the
// spec's info.version, the types and the client, which record the spec they
// were generated from (as octokit records its spec in package.json). It also
// keeps the registry metadata of every public package in step with the root's.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { findPackage, publicPackages, readJson } from "./paths.mjs";

const header = (source) => `/**
 * GENERATED FILE: DO NOT EDIT.
 * Source: ${source}.
 * Regenerate with \`npm run version:sync\` (packages/release-tools/bin/sync-versions.mjs).
 */
`;

/** The text of `file` with the `version:` line directly under `info:` set to `version`. */
export function setInfoVersion(yamlText, version) {
  const lines = yamlText.split("\n");
  const info = lines.indexOf("info:");
  if (info < 0) throw new Error("the spec has no top-level `info:` block");
  for (let i = info + 1; i < lines.length && /^(\s|$)/.test(lines[i]); i += 1) {
    if (/^ {2}version:/.test(lines[i])) {
      lines[i] = `  version: ${version}`;
      return lines.join("\n");
    }
  }
  throw new Error("the spec's `info:` block has no `version:`");
}

/**
 * What npm shows of every public package, derived from the root package.json:
 * `repository` (with the package's folder), `homepage`, `bugs` and
 * `publishConfig` (public, with provenance), applied to `manifest`.
 */
function withRegistryMetadata(root, dir, manifest) {
  const { repository, bugs } = readJson(join(root, "package.json"));
  const web = repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
  return {
    ...manifest,
    repository: { ...repository, directory: dir },
    homepage: `${web}/tree/main/${dir}#readme`,
    bugs,
    publishConfig: { access: "public", provenance: true },
  };
}

/** Every file the spec version is written to, with the text it must have: `{ path: text }`. */
export function expectedVersionFiles(root) {
  const openapi = findPackage("@modelarts-export/openapi", root);
  const types = findPackage("@modelarts-export/types", root);
  const client = findPackage("@modelarts-export/client", root);
  const cli = findPackage("@modelarts-export/cli", root);
  const spec = openapi.manifest.version;
  const withSpec = (manifest) => ({ ...manifest, "modelarts-export": { specVersion: spec } });
  const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
  const specFile = join(root, openapi.dir, "openapi.yaml");
  const manifests = Object.fromEntries(
    publicPackages(root).map(({ dir, manifest }) => [
      join(root, dir, "package.json"),
      json(withRegistryMetadata(root, dir, [types.dir, client.dir].includes(dir) ? withSpec(manifest) : manifest)),
    ]),
  );
  return {
    ...manifests,
    [specFile]: setInfoVersion(readFileSync(specFile, "utf8"), spec),
    [join(root, types.dir, "src/generated/spec-version.d.ts")]:
      header("openapi/package.json") +
      `/** \`info.version\` of the OpenAPI description these types were generated from. */\n` +
      `export type SpecVersion = ${JSON.stringify(spec)};\n`,
    [join(root, client.dir, "src/generated/version.ts")]:
      header(`${client.dir}/package.json and openapi/package.json`) +
      `/** Version of this package, @modelarts-export/client. */\n` +
      `export const VERSION = ${JSON.stringify(client.manifest.version)};\n` +
      `/** \`info.version\` of the OpenAPI description the client was generated from. */\n` +
      `export const SPEC_VERSION = ${JSON.stringify(spec)};\n`,
    [join(root, cli.dir, "src/generated/version.ts")]:
      header(`${cli.dir}/package.json`) +
      `/** Version of this package, @modelarts-export/cli. */\n` +
      `export const VERSION = ${JSON.stringify(cli.manifest.version)};\n`,
  };
}

/** Files whose text differs from what it must be. */
export function staleVersionFiles(root) {
  return Object.entries(expectedVersionFiles(root))
    .filter(([path, text]) => {
      try {
        return readFileSync(path, "utf8") !== text;
      } catch {
        return true;
      }
    })
    .map(([path]) => path);
}

export function writeVersionFiles(root) {
  const stale = staleVersionFiles(root);
  const expected = expectedVersionFiles(root);
  for (const path of stale) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, expected[path]);
  }
  return stale;
}
