// Starts headless Chromium for the browser tests, with nothing to install by
// hand: a system Chromium when there is one (/usr/bin/chromium, or `chromium`
// on PATH), else the binary that the npm package @sparticuz/chromium ships
// inside its tarball, unpacked once into node_modules/.cache.
//
// @sparticuz/chromium's own executablePath() unpacks into a shared /tmp/chromium
// and trusts whatever it finds there (another version, or a half-written file
// from a run that is still unpacking), so this file unpacks the package's
// archives itself, into a folder named after the package version, moved into
// place only once complete.
import { accessSync, constants, createReadStream, createWriteStream, existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { delimiter, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createBrotliDecompress } from "node:zlib";
import { chromium } from "playwright-core";
import { extract } from "tar-fs";

/** Flags for a quiet, local-only headless browser. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const root = fileURLToPath(new URL("..", import.meta.url));
const cache = join(root, "node_modules", ".cache");

/** The first executable among /usr/bin/chromium and `chromium` on PATH, or undefined. */
export function findSystemChromium(searchPath = process.env.PATH ?? "") {
  const candidates = [
    "/usr/bin/chromium",
    ...searchPath
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, "chromium")),
  ];
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Unpacks @sparticuz/chromium's browser and fonts into
 * node_modules/.cache/sparticuz-chromium-<version>/ (once) and returns the
 * browser's path and a fontconfig file that finds the system's fonts, when it
 * has any, and the package's Open Sans.
 */
export async function unpackBundledChromium() {
  const packageDir = dirname(dirname(fileURLToPath(import.meta.resolve("@sparticuz/chromium"))));
  const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  const target = join(cache, `sparticuz-chromium-${version}`);
  const paths = { executablePath: join(target, "chromium"), fontconfigFile: join(target, "fonts.conf") };
  if (existsSync(paths.fontconfigFile)) return paths;

  await mkdir(cache, { recursive: true });
  const staging = await mkdtemp(join(cache, `sparticuz-chromium-${version}.partial-`));
  try {
    const bin = join(packageDir, "bin");
    const unbrotli = (file) => [createReadStream(join(bin, file)), createBrotliDecompress()];
    await Promise.all([
      pipeline(...unbrotli("chromium.br"), createWriteStream(join(staging, "chromium"), { mode: 0o755 })),
      // GL libraries the browser loads from its own folder.
      pipeline(...unbrotli("swiftshader.tar.br"), extract(staging)),
      pipeline(...unbrotli("fonts.tar.br"), extract(staging)),
    ]);
    // Written last: its presence says the folder is complete.
    await writeFile(
      join(staging, "fonts.conf"),
      [
        `<?xml version="1.0"?>`,
        `<!DOCTYPE fontconfig SYSTEM "fonts.dtd">`,
        `<fontconfig>`,
        `  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>`,
        `  <dir>${join(target, "fonts", "fonts")}</dir>`,
        `  <cachedir>${join(target, "fontconfig-cache")}</cachedir>`,
        `</fontconfig>`,
        ``,
      ].join("\n"),
    );
    await rename(staging, target).catch((error) => {
      // Another process finished first: its copy is as good as ours.
      if (!existsSync(paths.fontconfigFile)) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return paths;
}

/**
 * Launches headless Chromium (see the top of this file for which one) and
 * returns playwright-core's Browser. Each launch gets a fresh profile folder,
 * which playwright-core removes when the browser closes.
 *
 * @param {{ args?: string[] }} [options] extra command-line flags
 * @returns {Promise<import("playwright-core").Browser>}
 */
export async function launchChromium({ args = [] } = {}) {
  const system = findSystemChromium();
  const bundled = system ? undefined : await unpackBundledChromium();
  return chromium.launch({
    executablePath: system ?? bundled.executablePath,
    args: [...CHROMIUM_FLAGS, ...args],
    env: bundled ? { ...process.env, FONTCONFIG_FILE: bundled.fontconfigFile } : process.env,
  });
}
