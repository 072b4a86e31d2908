// Pixel size of a PNG or JPEG from its header, for images that have no
// annotation file to say it (COCO lists them too). The reading threads
// run it on the first bytes of each such image.
export interface PixelSize {
  width: number;
  height: number;
}

/** Enough of a file's start for the PNG header or the JPEG frame header after typical metadata. */
export const IMAGE_HEAD_BYTES = 64 * 1024;

/** The pixel size in the first bytes of a PNG or JPEG file, if they say it. */
export function pixelSize(head: Buffer): PixelSize | undefined {
  if (head.length >= 24 && head.toString("latin1", 1, 4) === "PNG")
    return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
  if (head[0] !== 0xff || head[1] !== 0xd8) return undefined;
  let offset = 2;
  while (offset + 9 < head.length) {
    if (head[offset] !== 0xff) return undefined;
    const marker = head[offset + 1] as number;
    // SOF0-SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: head.readUInt16BE(offset + 5), width: head.readUInt16BE(offset + 7) };
    offset += 2 + head.readUInt16BE(offset + 2);
  }
  return undefined;
}

/** `pixelSize` as source for the reading threads: a plain function of its argument. */
export const PIXEL_SIZE_SOURCE = pixelSize.toString();
