// A minimal PNG encoder (8-bit RGB, no filtering), enough to write real
// image files for the demo and benchmark datasets without a dependency.
import { deflateSync } from "node:zlib";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export type Rgb = [number, number, number];

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
  color: Rgb;
}

/** A PNG of `width` x `height` filled with `background`, with `rects` painted on it. */
export function encodePng(width: number, height: number, background: Rgb, rects: Rect[] = []): Buffer {
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  // Paint one row of each colour once, then copy rows: fast enough for
  // benchmark datasets of 100,000 images.
  const row = (color: Rgb, pixels: number): Buffer => {
    const line = Buffer.alloc(pixels * 3);
    for (let x = 0; x < pixels; x++) line.set(color, x * 3);
    return line;
  };
  const backgroundRow = row(background, width);
  for (let y = 0; y < height; y++) backgroundRow.copy(raw, y * stride + 1);
  for (const r of rects) {
    const pixels = Math.max(0, Math.min(width, r.x + r.width) - r.x);
    const rectRow = row(r.color, pixels);
    for (let y = r.y; y < Math.min(height, r.y + r.height); y++) rectRow.copy(raw, y * stride + 1 + r.x * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 1 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
