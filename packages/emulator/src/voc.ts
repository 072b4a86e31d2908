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

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const ENTITY = /&(?:#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6})|(lt|gt|amp|quot|apos));/g;

/**
 * Text with its character references decoded: the five named ones and
 * numeric ones (`&#233;`, `&#xE9;`), in one pass, so that `&amp;#233;`
 * stays the text `&#233;`. Anything else is left as written.
 */
const unescapeXml = (text: string): string =>
  !text.includes("&")
    ? text
    : text.replace(ENTITY, (whole: string, decimal?: string, hex?: string, name?: string) => {
        if (name) return NAMED_ENTITIES[name] as string;
        const code = decimal ? Number(decimal) : parseInt(hex as string, 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      });

/**
 * The file with CDATA sections turned into escaped text and comments and
 * the DOCTYPE removed, so that the plain searches below see only elements
 * and text. Most files have none of these: they are returned as they are.
 */
const withoutMarkup = (xml: string, where: string): string => {
  if (!xml.includes("<!")) return xml;
  let out = "";
  let at = 0;
  for (let open = xml.indexOf("<!", at); open >= 0; open = xml.indexOf("<!", at)) {
    out += xml.slice(at, open);
    if (xml.startsWith("<![CDATA[", open)) {
      const end = xml.indexOf("]]>", open);
      if (end < 0) throw new Error(`${where}: a CDATA section is not closed with ]]>`);
      out += xml
        .slice(open + 9, end)
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;");
      at = end + 3;
    } else if (xml.startsWith("<!--", open)) {
      const end = xml.indexOf("-->", open + 4);
      if (end < 0) throw new Error(`${where}: a comment is not closed with -->`);
      at = end + 3;
    } else {
      // <!DOCTYPE ...>, perhaps with an internal subset in brackets.
      const bracket = xml.indexOf("[", open);
      const close = xml.indexOf(">", open);
      const end = bracket >= 0 && bracket < close ? xml.indexOf(">", xml.indexOf("]", bracket)) : close;
      if (end < 0) throw new Error(`${where}: a <! declaration is not closed with >`);
      at = end + 1;
    }
  }
  return out + xml.slice(at);
};

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

export function parseVoc(file: string, where: string): VocAnnotation {
  const xml = withoutMarkup(file, where);
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
  // No <size> at all: the size is not known (0), as written for images whose header does not say it.
  const sized = sizeStart < sizeEnd;
  return {
    folder: unescapeXml(tag(xml, "folder") ?? ""),
    filename: unescapeXml(tag(xml, "filename") ?? ""),
    width: sized ? number(xml, "width", where, sizeStart, sizeEnd) : 0,
    height: sized ? number(xml, "height", where, sizeStart, sizeEnd) : 0,
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
  `const NAMED_ENTITIES = ${JSON.stringify(NAMED_ENTITIES)};`,
  `const ENTITY = ${ENTITY.toString()};`,
  `const unescapeXml = ${unescapeXml.toString()};`,
  `const withoutMarkup = ${withoutMarkup.toString()};`,
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
${
  annotation.width || annotation.height
    ? `  <size>
    <width>${annotation.width}</width>
    <height>${annotation.height}</height>
    <depth>${annotation.depth}</depth>
  </size>
`
    : ""
}  <segmented>0</segmented>
${objects}</annotation>
`;
}
