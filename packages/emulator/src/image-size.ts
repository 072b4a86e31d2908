// Pixel size of a PNG or JPEG from its header, for images that have no
// annotation file to say it (COCO lists them too).
import { closeSync, openSync, readSync } from "node:fs";

function jpegSize(head: Buffer): { width: number; height: number } | undefined {
  let offset = 2;
  while (offset + 9 < head.length) {
    if (head[offset] !== 0xff) return undefined;
    const marker = head[offset + 1] as number;
    const length = head.readUInt16BE(offset + 2);
    // SOF0-SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: head.readUInt16BE(offset + 5), width: head.readUInt16BE(offset + 7) };
    }
    offset += 2 + length;
  }
  return undefined;
}

export function imageSize(file: string): { width: number; height: number } | undefined {
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(64 * 1024);
    const read = readSync(fd, head, 0, head.length, 0);
    const bytes = head.subarray(0, read);
    if (bytes.subarray(1, 4).toString("latin1") === "PNG")
      return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes);
    return undefined;
  } finally {
    closeSync(fd);
  }
}
