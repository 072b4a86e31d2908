// Opens the rendered pages from disk in real headless Chromium with the
// network cut off, and checks that they render fully, ask no other host for
// anything and log no error.
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const dist = (file: string): string => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
const screenshots = fileURLToPath(new URL("../build/screenshots/", import.meta.url));

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`apt-get install -y chromium\` as root`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
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

/** Loads a page with every non-local request refused and recorded. */
async function visit(file: string): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
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
  },
  {
    name: "Chinese",
    file: "zh/index.html",
    lang: "zh-CN",
    tag: "导出任务",
    operations: ["创建数据集导出任务", "查询数据集导出任务列表", "查询数据集导出任务的状态"],
    prose: ["标注格式", "指定发布版本时训练集-验证集的切分比例"],
  },
];

const shot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: `${screenshots}${name.replace(/\W+/g, "-")}.png` });

describe.each(editions)("$name docs ($file)", ({ file, lang, tag, operations, prose }) => {
  const [create, list, get] = operations as [string, string, string];
  let visited: Visit;
  const open = async (operation: string): Promise<void> => {
    await visited.page.getByRole("link", { name: operation }).first().click();
    await visited.page.getByRole("heading", { name: operation }).first().waitFor();
  };

  beforeAll(async () => {
    visited = await visit(file);
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

  test("the menu lists the three operations", async () => {
    const { page } = visited;
    await page.getByText(tag, { exact: true }).first().click();
    for (const operation of operations) {
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
