// Opens the rendered pages from disk in real headless Chromium with the
// network cut off, and checks that they render fully, ask no other host for
// anything and log no error.
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium } from "../../../scripts/chromium.mjs";

const dist = (file: string): string => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
const screenshots = fileURLToPath(new URL("../build/screenshots/", import.meta.url));

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

interface Visit {
  page: Page;
  offHost: string[];
  errors: string[];
}

// A machine may have no Chinese font, which leaves boxes in the Chinese page's
// screenshots. Noto Sans SC from npm stands in for the one a Chinese reader's
// system has. Its stylesheets split the font by Unicode range, so the page
// loads only the parts it shows.
const notoSansSc = [400, 600, 700].map(
  (weight) => pathToFileURL(createRequire(import.meta.url).resolve(`@fontsource/noto-sans-sc/${weight}.css`)).href,
);

/**
 * Adds Noto Sans SC to the theme's font stacks before the page lays anything
 * out. In the text stack it comes first, as a system's Chinese font would for
 * a zh-CN page: last, Chromium drew the headings in the bold Latin font's
 * empty boxes.
 */
async function useChineseFont(context: BrowserContext): Promise<void> {
  await context.addInitScript((stylesheets: string[]) => {
    document.addEventListener("DOMContentLoaded", () => {
      for (const href of stylesheets) {
        const link = document.createElement("link");
        link.rel = "stylesheet";
        link.href = href;
        document.head.append(link);
      }
      const root = document.documentElement;
      const stack = (name: string): string => getComputedStyle(root).getPropertyValue(name);
      root.style.setProperty("--font-family-base", `"Noto Sans SC", ${stack("--font-family-base")}`);
      // Last in the monospaced stack, so that code keeps its fixed-width Latin.
      root.style.setProperty("--font-family-monospaced", `${stack("--font-family-monospaced")}, "Noto Sans SC"`);
    });
  }, notoSansSc);
}

/** Loads a page with every non-local request refused and recorded. */
async function visit(file: string, lang: string): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  if (lang.startsWith("zh")) await useChineseFont(context);
  const page = await context.newPage();
  const offHost: string[] = [];
  const errors: string[] = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (/^(file|data|blob|about):/.test(url)) return route.continue();
    offHost.push(url);
    return route.abort();
  });
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(pathToFileURL(dist(file)).href, { waitUntil: "load" });
  return { page, offHost, errors };
}

const editions = [
  {
    name: "English",
    file: "index.html",
    lang: "en",
    tag: "Export tasks",
    operations: ["Create a dataset export task", "List the export tasks of a dataset", "Get one export task"],
    prose: ["Annotation format of the exported files", "Share of the samples that goes to the training set"],
    inferred: "Inferred, not stated by Huawei's reference:",
    shell: "curl",
  },
  {
    name: "Chinese",
    file: "zh/index.html",
    lang: "zh-CN",
    tag: "导出任务",
    operations: ["创建数据集导出任务", "查询数据集导出任务列表", "查询数据集导出任务的状态"],
    prose: ["标注格式", "指定发布版本时训练集-验证集的切分比例"],
    inferred: "推断，华为参考文档未说明：",
    shell: "curl",
  },
];

const shot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: `${screenshots}${name.replace(/\W+/g, "-")}.png` });

describe.each(editions)("$name docs ($file)", ({ file, lang, tag, operations, prose, inferred, shell }) => {
  const [create, list, get] = operations as [string, string, string];
  let visited: Visit;
  const open = async (operation: string): Promise<void> => {
    await visited.page.getByRole("link", { name: operation }).first().click();
    await visited.page.getByRole("heading", { name: operation }).first().waitFor();
  };

  beforeAll(async () => {
    visited = await visit(file, lang);
    // The prerendered page hydrates into Redoc; the title heading is there first.
    await visited.page.getByRole("heading", { level: 1 }).first().waitFor();
  });

  afterAll(async () => {
    await visited?.page.context().close();
  });

  test("renders the overview, in the page's language", async () => {
    const { page } = visited;
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe(lang);
    await expect(page.getByText("SDK-HMAC-SHA256").first().isVisible()).resolves.toBe(true);
    await shot(page, `${file}-overview`);
  });

  test("the overview links to no package page and shows no literal backticks", async () => {
    const { page } = visited;
    await expect(page.locator('a[href*="npmjs.com"]').count()).resolves.toBe(0);
    // Markdown code renders as <code>; a backtick in the text is prose Redoc does not render as markdown.
    expect(await page.locator("body").innerText()).not.toContain("`");
  });

  test("the download button saves this description, offline", async () => {
    const { page } = visited;
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("a[download]").first().click()]);
    expect(download.suggestedFilename()).toBe("openapi.json");
    const saved = JSON.parse(readFileSync(await download.path(), "utf8")) as {
      openapi: string;
      paths: Record<string, { post?: { summary?: string } }>;
    };
    expect(saved.openapi).toBe("3.1.0");
    // The page's own edition: the create operation's summary in its language.
    expect(saved.paths["/v2/{project_id}/datasets/{dataset_id}/export-tasks"]?.post?.summary).toBe(create);
  });

  test("the menu lists the three operations", async () => {
    const { page } = visited;
    // The tag's group toggles on a click: open it only when it is closed, then wait for each entry.
    if (!(await page.getByRole("link", { name: create }).first().isVisible()))
      await page.getByText(tag, { exact: true }).first().click();
    for (const operation of operations) {
      await page.getByRole("link", { name: operation }).first().waitFor({ state: "visible", timeout: 10_000 });
      await expect(page.getByRole("link", { name: operation }).first().isVisible(), operation).resolves.toBe(true);
    }
  });

  test("create shows the request body fields with their descriptions", async () => {
    const { page } = visited;
    await open(create);
    for (const field of ["annotation_format", "export_type", "export_params", "path", "sample_state"]) {
      await expect(page.getByText(field, { exact: true }).first().isVisible(), field).resolves.toBe(true);
    }
    await expect(
      page
        .getByText(prose[0] as string)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    await shot(page, `${file}-create`);
  });

  test("create marks what is inferred, with the reason", async () => {
    const { page } = visited;
    await open(create);
    const notes = page.getByText(inferred);
    await expect(notes.first().isVisible()).resolves.toBe(true);
    // path's trailing slash, OBS bucket names and key length, train_sample_ratio, the responses…
    expect(await notes.count()).toBeGreaterThanOrEqual(5);
    const pathNote = page.getByText(inferred).first();
    await pathNote.scrollIntoViewIfNeeded();
    await shot(page, `${file}-inferred`);
  });

  test("request samples fit their panel: no line is cut off or runs under the copy button", async () => {
    const { page } = visited;
    await open(create);
    const samples = page.locator('[data-component-name="CodeBlock/CodeBlock"]').first();
    {
      // The language menu of the samples panel: the button shows the current one.
      const menu = page.getByRole("button", { name: /^(curl|Payload)$/ }).first();
      if ((await menu.textContent())?.trim() !== shell) {
        await menu.click();
        await page.getByRole("menuitem", { name: shell }).first().click();
      }
      await expect(samples.textContent()).resolves.toContain("curl -X POST");
      const misplaced = await samples.evaluate((block) => {
        const pre = block.querySelector("pre") as HTMLElement;
        const copy = block.querySelector('[data-testid="copy-button"]') as HTMLElement;
        const box = pre.getBoundingClientRect();
        const button = copy.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(pre);
        return [...range.getClientRects()]
          .filter((line) => line.width > 0)
          .filter((line) => line.right > box.right - 1 || (line.top < button.bottom && line.right > button.left))
          .map((line) => `${Math.round(line.left)}-${Math.round(line.right)} at ${Math.round(line.top)}`);
      });
      expect(misplaced).toEqual([]);
      await shot(page, `${file}-samples`);
    }
  });

  test("list shows its paging parameters", async () => {
    const { page } = visited;
    await open(list);
    for (const parameter of ["limit", "offset", "export_type"]) {
      await expect(page.getByText(parameter, { exact: true }).first().isVisible(), parameter).resolves.toBe(true);
    }
  });

  test("get shows the task fields and the SUCCESSED state", async () => {
    const { page } = visited;
    await open(get);
    await page.getByText("Expand all").first().click();
    for (const field of ["status", "progress", "total_sample_count", "train_sample_ratio"]) {
      await expect(page.getByText(field, { exact: true }).first().isVisible(), field).resolves.toBe(true);
    }
    await expect(page.getByText("SUCCESSED").first().isVisible()).resolves.toBe(true);
    await page.getByRole("heading", { name: get }).first().scrollIntoViewIfNeeded();
    await shot(page, `${file}-get`);
  });

  test("requested nothing from another host and logged no error", () => {
    expect(visited.offHost).toEqual([]);
    expect(visited.errors).toEqual([]);
  });
});

describe("Chinese docs legibility", () => {
  test("the Chinese title is drawn with Noto Sans SC, not the boxes of a font without Chinese", async () => {
    const { page } = await visit("zh/index.html", "zh-CN");
    try {
      const title = page.getByRole("heading", { level: 1 }).first();
      await title.waitFor();
      await page.evaluate(() => document.fonts.ready);
      const cdp = await page.context().newCDPSession(page);
      const { root } = await cdp.send("DOM.getDocument", { depth: 0 });
      const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector: "h1" });
      await cdp.send("CSS.enable");
      const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
      const chinese = [...((await title.textContent()) ?? "")].filter((c) => /\p{Script=Han}/u.test(c)).length;
      expect(chinese).toBeGreaterThan(0);
      const noto = fonts.filter((font) => font.familyName.startsWith("Noto Sans SC"));
      expect(noto.reduce((sum, font) => sum + font.glyphCount, 0)).toBeGreaterThanOrEqual(chinese);
    } finally {
      await page.context().close();
    }
  });
});
