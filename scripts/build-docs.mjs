// Renders the bundled description into self-contained HTML pages with
// Redocly: English at packages/docs/dist/index.html, Chinese at
// packages/docs/dist/zh/index.html. `--inlineBundle` embeds Redoc's script,
// so the pages work offline and request nothing from a CDN.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import { withInferredNotes } from "./inferred-notes.mjs";
import { redocly, root } from "./redocly.mjs";

const dist = join(root, "packages", "docs", "dist");
// The spec as rendered: the bundled one with its x-inferred marks written out.
const build = join(root, "packages", "docs", "build");

// Redoc's attribution link shows a logo fetched from its CDN at run time,
// the page's only request to another host. Keep the attribution, draw the
// logo locally.
const logo = (width) =>
  "data:image/svg+xml," +
  encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="16" viewBox="0 0 ${width} 16">` +
      `<text x="0" y="12" font-family="sans-serif" font-size="12" font-weight="bold" fill="#0044d4">Redocly</text></svg>`,
  );
const offlineLogos = (html) =>
  html
    .replaceAll("https://cdn.redoc.ly/redoc/logo-mini-full.svg", logo(52))
    .replaceAll("https://cdn.redoc.ly/redoc/logo-mini.svg", logo(52));
// Redoc renders the download link with a bare `download` attribute, so a
// browser saves a data: URL as "download.json": give the file its name.
const nameDownload =
  "<script>new MutationObserver(() => { for (const link of document.querySelectorAll" +
  '(\'a[download][href^="data:application/json"]\')) link.download = "openapi.json"; })' +
  ".observe(document.documentElement, { childList: true, subtree: true });</script>";
const editions = [
  { spec: "openapi.yaml", output: join(dist, "index.html"), lang: "en" },
  { spec: "openapi.zh.yaml", output: join(dist, "zh", "index.html"), lang: "zh-CN" },
];

mkdirSync(build, { recursive: true });
for (const { spec, output, lang } of editions) {
  mkdirSync(dirname(output), { recursive: true });
  const noted = join(build, spec);
  const description = parse(readFileSync(join(root, "openapi", "dist", spec), "utf8"));
  writeFileSync(noted, stringify(withInferredNotes(structuredClone(description), lang)));
  // Redoc 3 shows a download button only for the URLs it is given. A data:
  // URL of the edition's own description (without the notes written in for
  // display) downloads from disk and from any server, offline.
  const download = `data:application/json;base64,${Buffer.from(JSON.stringify(description)).toString("base64")}`;
  redocly([
    "build-docs",
    noted,
    "--inlineBundle",
    "-o",
    output,
    `--openapi.downloadUrls=${JSON.stringify([{ title: "openapi.json", url: download }])}`,
  ]);
  // The template always says lang="en"; screen readers and fonts need the truth.
  const html = offlineLogos(readFileSync(output, "utf8")).replace('<html lang="en">', `<html lang="${lang}">`);
  // The last </body> is the page's own: Redoc's inlined script contains the string too.
  const end = html.lastIndexOf("</body>");
  writeFileSync(output, `${html.slice(0, end)}${nameDownload}${html.slice(end)}`);
  console.log(`wrote ${output.slice(root.length + 1)}`);
}
