// PASCAL VOC XML, the per-image annotation file of detection datasets:
// read into boxes, and written back for exports.

export interface VocObject {
  name: string;
  pose: string;
  truncated: boolean;
  occluded: boolean;
  difficult: boolean;
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  /** ModelArts label properties, written `<properties><key>value</key></properties>`. */
  properties: Record<string, string>;
}

export interface VocAnnotation {
  folder: string;
  filename: string;
  width: number;
  height: number;
  depth: number;
  objects: VocObject[];
}

const unescapeXml = (text: string): string =>
  !text.includes("&")
    ? text
    : text
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, "&");

const escape = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

// Plain string search within `[from, to)` of the file, so that no part of it
// is copied out: these files are read by the thousand per second.

/** Where the first `<name>` element lies: from its opening to its closing tag, or an empty range. */
const element = (xml: string, name: string, from = 0, to = xml.length): [number, number] => {
  const open = xml.indexOf(`<${name}>`, from);
  const close = open < 0 || open >= to ? -1 : xml.indexOf(`</${name}>`, open);
  return close < 0 || close > to ? [to, to] : [open, close];
};

/** The text of the first `<name>` element, trimmed. */
const tag = (xml: string, name: string, from?: number, to?: number): string | undefined => {
  const [open, close] = element(xml, name, from, to);
  return open < close ? xml.slice(open + name.length + 2, close).trim() : undefined;
};

const number = (xml: string, name: string, where: string, from?: number, to?: number): number => {
  const value = Number(tag(xml, name, from, to));
  if (!Number.isFinite(value)) throw new Error(`${where}: <${name}> is not a number`);
  return value;
};

const PROPERTY = /<([A-Za-z_][\w.:-]*)>([\s\S]*?)<\/\1>/g;

export function parseVoc(xml: string, where: string): VocAnnotation {
  const objects: VocObject[] = [];
  for (let open = xml.indexOf("<object>"); open >= 0;) {
    const start = open + "<object>".length;
    const end = xml.indexOf("</object>", start);
    if (end < 0) break;
    const properties: Record<string, string> = {};
    const [propertiesStart, propertiesEnd] = element(xml, "properties", start, end);
    if (propertiesStart < propertiesEnd) {
      PROPERTY.lastIndex = propertiesStart + "<properties>".length;
      for (let m = PROPERTY.exec(xml); m && PROPERTY.lastIndex <= propertiesEnd; m = PROPERTY.exec(xml))
        properties[m[1] as string] = unescapeXml((m[2] as string).trim());
    }
    const [boxStart, boxEnd] = element(xml, "bndbox", start, end);
    objects.push({
      name: unescapeXml(tag(xml, "name", start, end) ?? ""),
      pose: unescapeXml(tag(xml, "pose", start, end) ?? "Unspecified"),
      truncated: tag(xml, "truncated", start, end) === "1",
      occluded: tag(xml, "occluded", start, end) === "1",
      difficult: tag(xml, "difficult", start, end) === "1",
      xmin: number(xml, "xmin", where, boxStart, boxEnd),
      ymin: number(xml, "ymin", where, boxStart, boxEnd),
      xmax: number(xml, "xmax", where, boxStart, boxEnd),
      ymax: number(xml, "ymax", where, boxStart, boxEnd),
      properties,
    });
    open = xml.indexOf("<object>", end);
  }
  const [sizeStart, sizeEnd] = element(xml, "size");
  return {
    folder: unescapeXml(tag(xml, "folder") ?? ""),
    filename: unescapeXml(tag(xml, "filename") ?? ""),
    width: number(xml, "width", where, sizeStart, sizeEnd),
    height: number(xml, "height", where, sizeStart, sizeEnd),
    depth: Number(tag(xml, "depth", sizeStart, sizeEnd) ?? 3),
    objects,
  };
}

/**
 * What a COCO export needs of a VOC file: the pixel size, and each object's
 * label and corners (`xmin, ymin, xmax, ymax`, four numbers per object). A
 * reading thread sends this back instead of the whole annotation: a tenth of
 * the JSON to write on one thread and parse on the other.
 */
export interface VocBoxes {
  width: number;
  height: number;
  names: string[];
  corners: number[];
}

export function vocBoxes(annotation: VocAnnotation): VocBoxes {
  const corners: number[] = [];
  for (const o of annotation.objects) corners.push(o.xmin, o.ymin, o.xmax, o.ymax);
  return { width: annotation.width, height: annotation.height, names: annotation.objects.map((o) => o.name), corners };
}

/**
 * `parseVoc`, `vocBoxes` and what they call, as source for the reading threads, which
 * parse annotation files beside the export loop. Every piece is a plain
 * function of its arguments, so its text runs anywhere.
 */
export const PARSE_VOC_SOURCE = [
  `const unescapeXml = ${unescapeXml.toString()};`,
  `const element = ${element.toString()};`,
  `const tag = ${tag.toString()};`,
  `const number = ${number.toString()};`,
  `const PROPERTY = ${PROPERTY.toString()};`,
  parseVoc.toString(),
  vocBoxes.toString(),
].join("\n");

export function writeVoc(annotation: VocAnnotation): string {
  const objects = annotation.objects
    .map((o) => {
      const properties = Object.entries(o.properties);
      const propertyXml = properties.length
        ? `\n    <properties>${properties.map(([k, v]) => `<${k}>${escape(v)}</${k}>`).join("")}</properties>`
        : "";
      return `  <object>
    <name>${escape(o.name)}</name>
    <pose>${escape(o.pose)}</pose>
    <truncated>${o.truncated ? 1 : 0}</truncated>
    <occluded>${o.occluded ? 1 : 0}</occluded>
    <difficult>${o.difficult ? 1 : 0}</difficult>${propertyXml}
    <bndbox>
      <xmin>${o.xmin}</xmin>
      <ymin>${o.ymin}</ymin>
      <xmax>${o.xmax}</xmax>
      <ymax>${o.ymax}</ymax>
    </bndbox>
  </object>
`;
    })
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>
<annotation>
  <folder>${escape(annotation.folder)}</folder>
  <filename>${escape(annotation.filename)}</filename>
  <size>
    <width>${annotation.width}</width>
    <height>${annotation.height}</height>
    <depth>${annotation.depth}</depth>
  </size>
  <segmented>0</segmented>
${objects}</annotation>
`;
}
