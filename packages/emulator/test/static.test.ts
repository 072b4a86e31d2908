// `staticDir` / `--static DIR`: files served at /static/ beside the API, so
// that a page calls the API from the emulator's own origin.
import { get } from "node:http";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseOptions } from "../src/cli.js";
import { startEmulator } from "../src/emulator.js";
import { startHarness, TASKS, type Harness } from "./harness.js";
import { DEMO } from "../src/demo.js";

const root = mkdtempSync(join(tmpdir(), "emulator-static-"));
const site = join(root, "site");
// Outside the served folder: must never be reachable.
writeFileSync(join(root, "secret.txt"), "outside");
mkdirSync(join(site, "app", ".git"), { recursive: true });
writeFileSync(join(site, "index.html"), "<!doctype html><title>page</title>");
writeFileSync(join(site, "app", "main.js"), "export const answer = 42;\n");
writeFileSync(join(site, ".env"), "SECRET=1");
writeFileSync(join(site, "app", ".git", "config"), "[core]");

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ staticDir: site });
});
afterAll(async () => {
  await h.stop();
  rmSync(root, { recursive: true, force: true });
});

/** A GET with the path sent exactly as written (fetch would normalise `..` and `%2e`). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port: h.emulator.port, path }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    }).on("error", reject);
  });
}

describe("static files", () => {
  test("a file is served with its content type, and /static/ serves index.html", async () => {
    const script = await fetch(new URL("/static/app/main.js", h.emulator.url));
    expect([script.status, script.headers.get("content-type")]).toEqual([200, "text/javascript"]);
    expect(await script.text()).toBe("export const answer = 42;\n");
    const page = await fetch(new URL("/static/", h.emulator.url));
    expect([page.status, page.headers.get("content-type")]).toEqual([200, "text/html;charset=utf-8"]);
    expect(await page.text()).toContain("<title>page</title>");
  });

  test("a file written after the start is served, and an unchanged one answers 304 to its ETag", async () => {
    writeFileSync(join(site, "app", "late.js"), "late");
    const late = await fetch(new URL("/static/app/late.js", h.emulator.url));
    expect([late.status, await late.text()]).toEqual([200, "late"]);
    const etag = late.headers.get("etag");
    expect(etag).toBeTruthy();
    const again = await fetch(new URL("/static/app/late.js", h.emulator.url), {
      headers: { "if-none-match": etag as string },
    });
    expect(again.status).toBe(304);
  });

  test("a missing file is 404 in the API's error shape", async () => {
    const reply = await fetch(new URL("/static/app/missing.js", h.emulator.url));
    expect(reply.status).toBe(404);
    expect(await reply.json()).toEqual({
      error_code: "ModelArts.0104",
      error_msg: "No such API: /static/app/missing.js.",
    });
  });

  test("dotfiles, dot-folders and paths out of the folder are 404", async () => {
    for (const path of [
      "/static/.env",
      "/static/%2eenv",
      "/static/app/.git/config",
      "/static/../secret.txt",
      "/static/..%2fsecret.txt",
      "/static/%2e%2e/secret.txt",
      "/static/app/%2e%2e/%2e%2e/secret.txt",
      "/static/%E0%A4%A",
    ]) {
      const reply = await rawGet(path);
      expect([path, reply.status]).toEqual([path, 404]);
      expect(reply.body).not.toContain("outside");
      expect(reply.body).not.toContain("SECRET");
    }
  });

  test("the API answers beside the files, and POST to /static/ is not a file request", async () => {
    const list = await h.call("GET", TASKS(DEMO.datasets.detection.id));
    expect(list.status).toBe(200);
    const post = await fetch(new URL("/static/app/main.js", h.emulator.url), { method: "POST" });
    expect(post.status).toBe(404);
  });

  test("without staticDir nothing is served at /static/", async () => {
    const plain = await startHarness();
    try {
      const reply = await fetch(new URL("/static/index.html", plain.emulator.url));
      expect(reply.status).toBe(404);
    } finally {
      await plain.stop();
    }
  });

  test("a staticDir that is not a folder is refused, naming the option", async () => {
    await expect(
      startEmulator({ storage: join(root, "storage"), port: 0, staticDir: join(root, "nowhere") }),
    ).rejects.toThrow(`staticDir ${join(root, "nowhere")}: expected an existing folder`);
    await expect(
      startEmulator({ storage: join(root, "storage"), port: 0, staticDir: join(root, "secret.txt") }),
    ).rejects.toThrow(/expected an existing folder/);
  });

  test("--static DIR sets staticDir", () => {
    expect(parseOptions(["--storage", "s", "--static", site])).toMatchObject({ staticDir: site });
    expect(parseOptions(["--storage", "s"])).not.toHaveProperty("staticDir");
  });
});
