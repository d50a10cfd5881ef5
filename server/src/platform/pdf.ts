import { chinaWallClock } from '../../../contracts/china-time.js';
/**
 * A small PDF writer for certificates and forms: pages of text, lines and rectangles, nothing more.
 *
 * Chinese text uses the non-embedded CID font STSong-Light through the CMap UniGB-UCS2-H, as government
 * systems long did with iText: every PDF reader (Acrobat, PDFium in Chrome, pdf.js, Preview) supplies a
 * Song face for it, so no font file ships with the platform and a certificate stays a few kilobytes.
 * Text is written as UTF-16BE hex strings, so no title or name can break out of a string. Streams are
 * uncompressed on purpose: the files are tiny and tests can read the content.
 *
 * Coordinates are PDF points (1/72 inch) from the bottom-left corner of the page.
 */

export const A4 = { width: 595.28, height: 841.89 } as const;

export type Rgb = readonly [red: number, green: number, blue: number];
export interface TextStyle { size: number; color?: Rgb; /** extra space after each character, in points (Tc) */ charSpacing?: number }
export interface StrokeStyle { width?: number; color?: Rgb }

/** Shown for what UCS-2 cannot carry (characters beyond the BMP, e.g. rare name characters): 〓, the customary Chinese placeholder. */
const REPLACEMENT = 0x3013;
/** UniGB-UCS2-H maps U+0020–U+007E to CIDs 1–95, the proportional Latin of Adobe-GB1; we lay them out half-width. */
const isHalfWidth = (code: number) => code >= 0x20 && code <= 0x7e;

/** The UTF-16 code units we will write, one per glyph: controls become spaces, what UCS-2 cannot hold becomes 〓. */
function glyphCodes(text: string): number[] {
  const codes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code > 0xffff || (code >= 0xd800 && code <= 0xdfff)) codes.push(REPLACEMENT);
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) codes.push(0x20);
    else codes.push(code);
  }
  return codes;
}

/** The text as the UTF-16BE hex string that appears in the content stream, e.g. 马丽 → <9A6C4E3D>. */
export function pdfHexText(text: string): string {
  return `<${glyphCodes(text).map((c) => c.toString(16).toUpperCase().padStart(4, '0')).join('')}>`;
}

/** Width in points of the text as laid out: 1000 units per CJK character, 500 per ASCII character. */
export function textWidth(text: string, style: TextStyle): number {
  const codes = glyphCodes(text);
  const units = codes.reduce((sum, c) => sum + (isHalfWidth(c) ? 500 : 1000), 0);
  return (units / 1000) * style.size + codes.length * (style.charSpacing ?? 0);
}

/** The text cut with … so that it fits in maxWidth. */
export function fitText(text: string, maxWidth: number, style: TextStyle): string {
  if (textWidth(text, style) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidth(`${chars.join('')}…`, style) > maxWidth) chars.pop();
  return `${chars.join('')}…`;
}

/** Closing punctuation may not start a line (禁则): it hangs at the end of the previous one instead. */
const NO_LINE_START = new Set('，。、；：？！）》」』】〕”’,.;:?!)]}%'.split(''));

/** Breaks text into lines of at most maxWidth: between any two CJK characters, between Latin words; \n starts a new line. */
export function wrapText(text: string, maxWidth: number, style: TextStyle): string[] {
  return text.split('\n').flatMap((paragraph) => {
    const tokens = (paragraph.match(/[\x21-\x7e]+|\s+|./gu) ?? [])
      .flatMap((token) => (textWidth(token, style) > maxWidth ? [...token] : [token]));
    const lines: string[] = [];
    let line = '';
    for (const token of tokens) {
      if (line === '' || textWidth(line + token, style) <= maxWidth || NO_LINE_START.has(token)) { line += token; continue; }
      lines.push(line.trimEnd());
      line = token.trim() === '' ? '' : token;
    }
    return [...lines, line.trimEnd()];
  });
}

/** PDF numbers: plain decimals, never exponents, at most three places. */
function num(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`PDF coordinate is not a finite number: ${value}`);
  const fixed = value.toFixed(3).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}
const rgb = (color: Rgb, op: 'rg' | 'RG') => `${color.map((c) => num(Math.min(1, Math.max(0, c)))).join(' ')} ${op}`;

export class PdfPage {
  private readonly operators: string[] = [];
  constructor(readonly width: number = A4.width, readonly height: number = A4.height) {}

  /** Text starting at x, with its baseline at y. */
  text(x: number, y: number, text: string, style: TextStyle): this {
    const ops = ['BT', `/F1 ${num(style.size)} Tf`];
    if (style.charSpacing) ops.push(`${num(style.charSpacing)} Tc`);
    if (style.color) ops.push(rgb(style.color, 'rg'));
    ops.push(`1 0 0 1 ${num(x)} ${num(y)} Tm`, `${pdfHexText(text)} Tj`, 'ET');
    // q…Q: character spacing and colour are graphics state and would otherwise carry over to later text.
    this.operators.push(`q ${ops.join(' ')} Q`);
    return this;
  }

  /** Text centred between left and right (the page's width by default). Trailing character spacing is not counted. */
  textCentered(y: number, text: string, style: TextStyle, left = 0, right = this.width): this {
    const width = textWidth(text, style) - (style.charSpacing ?? 0);
    return this.text(left + (right - left - width) / 2, y, text, style);
  }

  /** Text ending at x (right-aligned). */
  textRight(x: number, y: number, text: string, style: TextStyle): this {
    return this.text(x - textWidth(text, style) + (style.charSpacing ?? 0), y, text, style);
  }

  line(x1: number, y1: number, x2: number, y2: number, stroke: StrokeStyle = {}): this {
    this.operators.push(`q ${this.strokeOps(stroke)} ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S Q`);
    return this;
  }

  /** A rectangle outline with its lower-left corner at (x, y). */
  rect(x: number, y: number, width: number, height: number, stroke: StrokeStyle = {}): this {
    this.operators.push(`q ${this.strokeOps(stroke)} ${num(x)} ${num(y)} ${num(width)} ${num(height)} re S Q`);
    return this;
  }

  /** A filled rectangle (shading behind a table header, say). */
  fillRect(x: number, y: number, width: number, height: number, color: Rgb): this {
    this.operators.push(`q ${rgb(color, 'rg')} ${num(x)} ${num(y)} ${num(width)} ${num(height)} re f Q`);
    return this;
  }

  /** The page's content stream. */
  content(): string {
    return this.operators.join('\n');
  }

  private strokeOps(stroke: StrokeStyle): string {
    return `${num(stroke.width ?? 0.5)} w${stroke.color ? ` ${rgb(stroke.color, 'RG')}` : ''}`;
  }
}

export interface PdfInfo { title?: string; author?: string; subject?: string; createdAt?: Date }

/** A literal string for the document information dictionary: UTF-16BE with a byte-order mark. */
const infoText = (text: string) => `<FEFF${pdfHexText(text).slice(1, -1)}>`;

/** D:YYYYMMDDHHmmSS+08'00' — dated in China's time. */
function pdfDate(at: Date): string {
  const local = chinaWallClock(at);
  return `(D:${local.slice(0, 4)}${local.slice(5, 7)}${local.slice(8, 10)}${local.slice(11, 13)}${local.slice(14, 16)}${local.slice(17, 19)}+08'00')`;
}

/** Serialises the pages to a complete PDF 1.4 file with a classic cross-reference table. */
export function renderPdf(pages: readonly PdfPage[], info: PdfInfo = {}): Buffer {
  if (pages.length === 0) throw new Error('A PDF needs at least one page');
  // Objects are numbered up front so that every reference is known before anything is written.
  const CATALOG = 1, PAGES = 2, INFO = 3, FONT = 4, CID_FONT = 5, DESCRIPTOR = 6, FIRST_PAGE = 7;
  const pageId = (i: number) => FIRST_PAGE + 2 * i;
  const contentId = (i: number) => FIRST_PAGE + 2 * i + 1;

  const bodies = new Map<number, string>();
  bodies.set(CATALOG, `<< /Type /Catalog /Pages ${PAGES} 0 R >>`);
  bodies.set(PAGES, `<< /Type /Pages /Kids [${pages.map((_, i) => `${pageId(i)} 0 R`).join(' ')}] /Count ${pages.length} >>`);
  const infoEntries = [`/Producer ${infoText('党建云')}`, `/CreationDate ${pdfDate(info.createdAt ?? new Date())}`];
  if (info.title) infoEntries.push(`/Title ${infoText(info.title)}`);
  if (info.author) infoEntries.push(`/Author ${infoText(info.author)}`);
  if (info.subject) infoEntries.push(`/Subject ${infoText(info.subject)}`);
  bodies.set(INFO, `<< ${infoEntries.join(' ')} >>`);
  // The Type0 font's name is the CIDFont's name, a hyphen and the CMap's name (PDF 32000 §9.7.6.1).
  bodies.set(FONT, `<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light-UniGB-UCS2-H /Encoding /UniGB-UCS2-H /DescendantFonts [${CID_FONT} 0 R] >>`);
  bodies.set(CID_FONT, `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> `
    + `/FontDescriptor ${DESCRIPTOR} 0 R /DW 1000 /W [1 95 500] >>`);
  bodies.set(DESCRIPTOR, '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 '
    + '/CapHeight 880 /StemV 93 >>');
  pages.forEach((page, i) => {
    bodies.set(pageId(i), `<< /Type /Page /Parent ${PAGES} 0 R /MediaBox [0 0 ${num(page.width)} ${num(page.height)}] `
      + `/Resources << /Font << /F1 ${FONT} 0 R >> /ProcSet [/PDF /Text] >> /Contents ${contentId(i)} 0 R >>`);
    const content = page.content();
    // The end of line before endstream is not part of the data, nor of /Length (§7.3.8.1).
    bodies.set(contentId(i), `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
  });

  // Everything above is ASCII, so string length is byte length; the header's comment line holds
  // bytes above 127 so that transfer tools treat the file as binary (§7.5.2).
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xE2\xE3\xCF\xD3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  const objectCount = contentId(pages.length - 1);
  for (let id = 1; id <= objectCount; id++) {
    offsets[id] = offset;
    const chunk = Buffer.from(`${id} 0 obj\n${bodies.get(id)!}\nendobj\n`, 'latin1');
    chunks.push(chunk);
    offset += chunk.length;
  }
  // Each cross-reference entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, two-byte end of line.
  const xref = [`xref\n0 ${objectCount + 1}\n`, '0000000000 65535 f \n'];
  for (let id = 1; id <= objectCount; id++) xref.push(`${String(offsets[id]).padStart(10, '0')} 00000 n \n`);
  xref.push(`trailer\n<< /Size ${objectCount + 1} /Root ${CATALOG} 0 R /Info ${INFO} 0 R >>\nstartxref\n${offset}\n%%EOF\n`);
  chunks.push(Buffer.from(xref.join(''), 'latin1'));
  return Buffer.concat(chunks);
}
