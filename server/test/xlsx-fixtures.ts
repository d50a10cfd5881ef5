import zlib from 'node:zlib';

/**
 * Hostile .xlsx files for the tests of xlsx-guard.ts and of each upload that reads a sheet, built
 * byte by byte in milliseconds: a part is a list of pieces, and a piece repeated a million times
 * is deflated once and its compressed bytes repeated (each piece ends in a full flush, so it
 * references nothing before it). That is how a 400 KB upload inflates to 400 MB.
 */
export interface Piece { text: string; times?: number }

function deflatedPart(pieces: Piece[]): { data: Buffer; size: number } {
  const out: Buffer[] = [];
  let size = 0;
  for (const { text, times = 1 } of pieces) {
    const raw = Buffer.from(text);
    const block = zlib.deflateRawSync(raw, { finishFlush: zlib.constants.Z_FULL_FLUSH });
    for (let i = 0; i < times; i++) out.push(block);
    size += raw.length * times;
  }
  out.push(zlib.deflateRawSync(Buffer.alloc(0))); // the final, empty block
  return { data: Buffer.concat(out), size };
}

/**
 * A zip of these parts. `declaredSize` lies about a part's inflated size, as a zip bomb does; the
 * CRC is left 0 (nothing checks it before the limits stop reading).
 */
export function zipOf(parts: Record<string, Piece[] | string>, declaredSize?: number): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(parts)) {
    const { data, size } = deflatedPart(typeof content === 'string' ? [{ text: content }] : content);
    const fileName = Buffer.from(name);
    const inflated = Math.min(declaredSize ?? size, 0xfffffffe);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(inflated, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(inflated, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** A workbook of one sheet whose sheet XML (inside <sheetData>) and shared strings (inside <sst>) are given. */
export function workbookOf(sheetData: Piece[], sharedStrings?: Piece[], declaredSize?: number): Buffer {
  const parts: Record<string, Piece[] | string> = {
    '[Content_Types].xml': '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS}><sheets><sheet name="党员信息" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      + '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml': [{ text: `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>` }, ...sheetData, { text: '</sheetData></worksheet>' }],
  };
  if (sharedStrings) parts['xl/sharedStrings.xml'] = [{ text: `<?xml version="1.0" encoding="UTF-8"?><sst ${NS}>` }, ...sharedStrings, { text: '</sst>' }];
  return zipOf(parts, declaredSize);
}

/** An inline-string cell. */
export const inlineCell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/** The crafted files of issue #19, each small on the wire. */
export const hostileWorkbooks = {
  /** One cell of 400 MB (1 MB × 400), behind a header row. */
  hugeCell: (header: string) => workbookOf([
    { text: `<row r="1">${header}</row><row r="2"><c r="A2" t="inlineStr"><is><t>` },
    { text: '党'.repeat(1024 * 1024 / 3), times: 400 },
    { text: '</t></is></c></row>' },
  ]),
  /** 1 GB of shared strings, each a short distinct-looking entry. */
  hugeSharedStrings: (header: string) => workbookOf([{ text: `<row r="1">${header}</row><row r="2"><c r="A2" t="s"><v>0</v></c></row>` }],
    [{ text: '<si><t>共享字符串</t></si>'.repeat(4096), times: 10_000 }]),
  /** A million empty rows under the header. */
  millionEmptyRows: (header: string) => workbookOf([{ text: `<row r="1">${header}</row>` }, { text: '<row/>'.repeat(10_000), times: 100 }]),
  /** A sheet that declares 2 KB and inflates to 1 GB of elements no reader keeps. */
  zipBomb: (header: string) => workbookOf([{ text: `<row r="1">${header}</row>` }, { text: '<x/>'.repeat(256 * 1024), times: 1024 }], undefined, 2048),
};
