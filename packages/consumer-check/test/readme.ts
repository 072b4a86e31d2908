// The fenced code blocks of the root README, which the tests run or type-check
// so that what the README shows keeps working.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export interface CodeBlock {
  /** The fence's language: "ts", "sh", ... */
  lang: string;
  code: string;
  /** 1-based line of the opening fence, to name the block in a failure. */
  line: number;
}

export function readmeBlocks(): CodeBlock[] {
  const lines = readFileSync(join(repoRoot, "README.md"), "utf8").split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i] as string);
    if (!open) continue;
    const end = lines.indexOf("```", i + 1);
    if (end < 0) throw new Error(`README.md:${i + 1}: code block never closed`);
    blocks.push({ lang: open[1] as string, code: lines.slice(i + 1, end).join("\n") + "\n", line: i + 1 });
    i = end;
  }
  return blocks;
}

/** What the README's examples call the emulator that `npm start` serves. */
export const README_EMULATOR_URL = "http://127.0.0.1:8080";
