import type { Browser } from "playwright-core";

/** Flags every launch gets: headless, no sandbox, no GPU, no network of its own. */
export declare const CHROMIUM_FLAGS: readonly string[];

/** The first executable among /usr/bin/chromium and `chromium` on PATH, or undefined. */
export declare function findSystemChromium(searchPath?: string): string | undefined;

/** Unpacks @sparticuz/chromium's browser into node_modules/.cache once; returns its paths. */
export declare function unpackBundledChromium(): Promise<{ executablePath: string; fontconfigFile: string }>;

/** Launches headless Chromium: the system's when present, else @sparticuz/chromium's. */
export declare function launchChromium(options?: { args?: string[] }): Promise<Browser>;
