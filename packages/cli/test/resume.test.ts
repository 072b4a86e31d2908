// The resume hint: a command that runs as printed, credentials by name only.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";
import { invocation, resumeHint, shellWord, type Connection } from "../src/connection.js";

const bin = fileURLToPath(new URL("../bin/modelarts-export.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "cli-resume-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the command is found as this run was: npm, PATH, or node and the script's path", () => {
  expect(invocation({ npm_command: "exec", PATH: "" })).toBe("npx @modelarts-export/cli");
  const linked = join(dir, "linked");
  const other = join(dir, "other");
  for (const d of [linked, other]) execFileSync("mkdir", ["-p", d]);
  symlinkSync(bin, join(linked, "modelarts-export"));
  writeFileSync(join(other, "modelarts-export"), "#!/bin/sh\n");
  expect(invocation({ PATH: `${other}:${linked}` })).toBe("node " + bin);
  expect(invocation({ PATH: `/nowhere:${linked}` })).toBe("modelarts-export");
  expect(invocation({})).toBe(`node ${bin}`);
});

test("values are quoted for the shell and read back as given", () => {
  const connection = {
    flags: ["--endpoint", "http://127.0.0.1:9", "--project-id", "p", "--dataset-id", "it's a $set"],
    credentials: { variables: [], fromFlags: [{ flag: "--token", variable: "MODELARTS_TOKEN" }] },
  } as unknown as Connection;
  const hint = resumeHint(connection, "T1", ["--interval", "5s"], { PATH: "" });
  const [command, ...rest] = hint.split("\n");
  expect(rest).toEqual([
    "Credentials: first set MODELARTS_TOKEN to what you gave --token; the CLI reads it from there.",
  ]);
  // Replace the program by printf to see the words the shell passes.
  const words = execFileSync("sh", ["-c", command!.trim().replace(/^node \S+/, "printf '%s\\n'")], {
    encoding: "utf8",
  });
  expect(words.trim().split("\n")).toEqual(["wait", "T1", ...connection.flags, "--interval", "5s"]);
  expect(shellWord("plain-id_1.2/x")).toBe("plain-id_1.2/x");
});
