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

// Plain string search: these files are read by the thousand per second.
const tag = (xml: string, name: string): string | undefined => {
  const open = xml.indexOf(`<${name}>`);
  if (open < 0) return undefined;
  const start = open + name.length + 2;
  const end = xml.indexOf(`</${name}>`, start);
  return end < 0 ? undefined : xml.slice(start, end).trim();
};

const number = (xml: string, name: string, where: string): number => {
  const value = Number(tag(xml, name));
  if (!Number.isFinite(value)) throw new Error(`${where}: <${name}> is not a number`);
  return value;
};

export function parseVoc(xml: string, where: string): VocAnnotation {
  const size = tag(xml, "size") ?? "";
  const objects = [...xml.matchAll(/<object>([\s\S]*?)<\/object>/g)].map(([, body = ""]) => {
    const box = tag(body, "bndbox") ?? "";
    const properties = Object.fromEntries(
      [...(tag(body, "properties") ?? "").matchAll(/<([A-Za-z_][\w.:-]*)>([\s\S]*?)<\/\1>/g)].map(
        ([, k = "", v = ""]) => [k, unescapeXml(v.trim())],
      ),
    );
    return {
      name: unescapeXml(tag(body, "name") ?? ""),
      pose: unescapeXml(tag(body, "pose") ?? "Unspecified"),
      truncated: tag(body, "truncated") === "1",
      occluded: tag(body, "occluded") === "1",
      difficult: tag(body, "difficult") === "1",
      xmin: number(box, "xmin", where),
      ymin: number(box, "ymin", where),
      xmax: number(box, "xmax", where),
      ymax: number(box, "ymax", where),
      properties,
    };
  });
  return {
    folder: unescapeXml(tag(xml, "folder") ?? ""),
    filename: unescapeXml(tag(xml, "filename") ?? ""),
    width: number(size, "width", where),
    height: number(size, "height", where),
    depth: Number(tag(size, "depth") ?? 3),
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
  `const tag = ${tag.toString()};`,
  `const number = ${number.toString()};`,
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
