import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parentPort, workerData } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';

/**
 * Runs in a worker thread started by xlsx-guard.ts: reads the rows of an uploaded workbook's first
 * visible sheet and hands them to the parent in batches, one batch per request, so that the
 * parent's heap never holds more than a batch. The size limits are checked on the bytes as they
 * are inflated, before the XML parser sees them (a part is never inflated whole, and no text, tag
 * or part can grow past its limit); the row and cell limits as the rows come. Whatever still goes
 * wrong stays in this thread's own heap, which the parent bounds with resourceLimits.
 */

export interface SheetLimits {
  /** All the parts read, inflated. */
  maxUnzippedBytes: number;
  /** xl/sharedStrings.xml, inflated. */
  maxSharedStringsBytes: number;
  maxSharedStrings: number;
  maxCellChars: number;
  /** The characters of one row, all its cells together. */
  maxRowChars: number;
  /** <row> elements of the sheet, empty ones included. */
  maxRows: number;
}

export interface WorkerInput { bytes: Uint8Array; limits: SheetLimits }

export interface SheetRow { number: number; values: unknown[] }

/** `refused` names a limit (a message key of xlsx-guard.ts); `invalid` is a file that is not a workbook. */
export type WorkerReply =
  | { type: 'rows'; rows: SheetRow[]; isLast: boolean }
  | { type: 'refused'; key: string; params: Record<string, number> }
  | { type: 'invalid' };

class LimitExceeded extends Error {
  constructor(readonly key: string, readonly params: Record<string, number>) {
    super(key);
  }
}

class NotWorkbook extends Error {}

const MB = 1024 * 1024;
/** A batch is handed over at this many characters of cell text (or rows), whichever comes first. */
const BATCH_CHARS = 1_000_000;
const BATCH_ROWS = 2_000;

// ---------------------------------------------------------------------------------------------
// The XML guard: a byte-level tokenizer that only measures

const LT = 0x3c, GT = 0x3e, BANG = 0x21, QUESTION = 0x3f, DASH = 0x2d, BRACKET = 0x5b, CLOSE_BRACKET = 0x5d, DQUOTE = 0x22, SQUOTE = 0x27;
const enum State { Text, TagStart, Tag, Quoted, Bang, Comment, CData, Instruction }

/**
 * Follows one part's XML at the byte level (every delimiter is ASCII, so UTF-8 needs no decoding) and
 * refuses a text, tag, comment or CDATA longer than a cell can be: the XML parser holds each of
 * those whole before it hands it on, and one 400 MB cell was enough to end the process. A cell of
 * the longest text Excel allows takes at most 8 bytes a character (`&#xFFFF;`), so the bound
 * refuses nothing Excel can write. A DOCTYPE never occurs in a workbook and is refused outright.
 */
class XmlGuard {
  private state = State.Text;
  private token = 0;
  private quote = 0;
  private prev1 = 0;
  private prev2 = 0;
  private readonly maxTokenBytes: number;

  constructor(private readonly limits: SheetLimits) {
    this.maxTokenBytes = limits.maxCellChars * 8;
  }

  check(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      switch (this.state) {
        case State.Text: {
          // the '<' that ends a text starts the next token
          const lt = chunk.indexOf(LT, i);
          this.advance(i, lt === -1 ? -1 : lt - 1, chunk.length, 'upload.xlsx_cell_too_long');
          if (lt === -1) return;
          this.state = State.TagStart;
          this.token = 1;
          i = lt + 1;
          break;
        }
        case State.Tag: {
          let j = i;
          let b = 0;
          for (; j < chunk.length; j++) {
            b = chunk[j]!;
            if (b === GT || b === DQUOTE || b === SQUOTE) break;
          }
          const found = j < chunk.length ? j : -1;
          i = this.advance(i, found, chunk.length, 'upload.xlsx_token_too_long');
          if (found === -1) break;
          if (b === GT) this.endToken();
          else {
            this.quote = b;
            this.state = State.Quoted;
          }
          break;
        }
        case State.Quoted: {
          const close = chunk.indexOf(this.quote, i);
          i = this.advance(i, close, chunk.length, 'upload.xlsx_token_too_long');
          if (close !== -1) this.state = State.Tag;
          break;
        }
        default:
          this.declarationByte(chunk[i++]!);
      }
    }
  }

  /** Counts the bytes up to and including `found` (or to the chunk's end) into the current token. */
  private advance(from: number, found: number, length: number, key: string): number {
    const to = found === -1 ? length : found + 1;
    this.token += to - from;
    if (this.token > this.maxTokenBytes) throw this.tooLong(key);
    return to;
  }

  private tooLong(key: string): LimitExceeded {
    return key === 'upload.xlsx_cell_too_long'
      ? new LimitExceeded(key, { max: this.limits.maxCellChars })
      : new LimitExceeded(key, { max: Math.round(this.maxTokenBytes / 1024) });
  }

  private endToken(): void {
    this.state = State.Text;
    this.token = 0;
  }

  /** A byte just after '<', or inside a comment, CDATA section or processing instruction. */
  private declarationByte(b: number): void {
    if (++this.token > this.maxTokenBytes) throw this.tooLong(this.state === State.CData ? 'upload.xlsx_cell_too_long' : 'upload.xlsx_token_too_long');
    switch (this.state) {
      case State.TagStart:
        if (b === GT) this.endToken();
        else this.state = b === BANG ? State.Bang : b === QUESTION ? State.Instruction : State.Tag;
        break;
      case State.Bang:
        if (b === DASH) this.state = State.Comment;
        else if (b === BRACKET) this.state = State.CData;
        else throw new NotWorkbook('DOCTYPE or unknown declaration');
        break;
      default: {
        const closer = this.state === State.Comment ? DASH : this.state === State.CData ? CLOSE_BRACKET : QUESTION;
        if (b === GT && this.prev1 === closer && (this.state === State.Instruction || this.prev2 === closer)) this.endToken();
      }
    }
    this.prev2 = this.prev1;
    this.prev1 = b;
  }
}

interface PartLimit { bytes: number; key: string }

/**
 * Inflates a part once, keeping nothing, to measure it against the limits before it is parsed:
 * measuring runs at about 100 MB a second and parsing at about 10, so a zip bomb is refused in two
 * seconds instead of twenty. Inflating the same bytes again gives the same text.
 */
async function measure(part: Readable, limits: SheetLimits, budget: { bytes: number }, partLimit?: PartLimit): Promise<void> {
  const xml = new XmlGuard(limits);
  let partBytes = 0;
  for await (const chunk of part as AsyncIterable<Buffer>) {
    budget.bytes += chunk.length;
    partBytes += chunk.length;
    if (budget.bytes > limits.maxUnzippedBytes) throw new LimitExceeded('upload.xlsx_unzipped_too_large', { max: limits.maxUnzippedBytes / MB });
    if (partLimit && partBytes > partLimit.bytes) throw new LimitExceeded(partLimit.key, { max: partLimit.bytes / MB });
    xml.check(chunk);
  }
}

/**
 * exceljs 4.4 decodes every 16 KB chunk of a zip entry on its own, so a Chinese character split
 * across two chunks comes out as U+FFFD (exceljs issues #2063, #2084, #2316 — open). The parts are
 * decoded here with a decoder that carries an incomplete character over to the next chunk.
 */
async function* utf8Text(chunks: AsyncIterable<Buffer> | Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

// ---------------------------------------------------------------------------------------------
// The sheet

/** The parts of exceljs's streaming reader that turn zip entries into a workbook (not in its typings). */
interface ReaderInternals {
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { rId: string; state?: string }[] };
  sharedStrings?: unknown[];
  _parseRels(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncIterable<{ index: number; text: unknown }>;
  _parseStyles(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Iterable<{ eventType: string; value: AsyncIterable<{ number: number; values: unknown }> }>;
}

/** Characters of text a cell value holds, in any of exceljs's shapes. */
function textLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (value == null || typeof value !== 'object' || value instanceof Date) return 0;
  const v = value as { richText?: { text?: unknown }[]; text?: unknown; result?: unknown; formula?: unknown; error?: unknown };
  let length = 0;
  if (Array.isArray(v.richText)) for (const run of v.richText) length += textLength(run.text);
  length += textLength(v.text) + textLength(v.result) + textLength(v.formula) + textLength(v.error);
  return length;
}

/**
 * The rows of the first visible sheet. The zip is opened by its central directory and the parts
 * are handed to exceljs's streaming reader in the order it needs them — relationships, workbook,
 * shared strings and styles, then the sheet: its own reader takes them in stored order, parks
 * sheets in temporary files, and now and then refuses valid files (exceljs issue #3064, open).
 */
async function readRows(bytes: Buffer, limits: SheetLimits, onRow: (row: SheetRow, chars: number) => Promise<void>): Promise<void> {
  const directory = await unzipper.Open.buffer(bytes);
  const parts = new Map(directory.files.filter((f) => f.type === 'File').map((f) => [f.path.replace(/^\//, ''), f]));
  const budget = { bytes: 0 };
  const measured = async (path: string, partLimit?: PartLimit): Promise<boolean> => {
    const part = parts.get(path);
    if (part) await measure(part.stream(), limits, budget, partLimit);
    return part !== undefined;
  };
  const text = (path: string): Readable => Readable.from(utf8Text(parts.get(path)!.stream()));
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), { worksheets: 'emit', sharedStrings: 'emit', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' }) as unknown as ReaderInternals;

  if (!await measured('xl/_rels/workbook.xml.rels') || !await measured('xl/workbook.xml')) throw new NotWorkbook('no workbook part');
  await reader._parseRels(text('xl/_rels/workbook.xml.rels'));
  await reader._parseWorkbook(text('xl/workbook.xml'));
  const sheets = reader.model?.sheets ?? [];
  const first = sheets.find((s) => !s.state || s.state === 'visible') ?? sheets[0];
  const target = first && reader.workbookRels?.find((r) => r.Id === first.rId)?.Target;
  if (!target) throw new NotWorkbook('no sheet');
  const sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`;
  const hasSharedStrings = await measured('xl/sharedStrings.xml', { bytes: limits.maxSharedStringsBytes, key: 'upload.xlsx_shared_strings_too_large' });
  const hasStyles = await measured('xl/styles.xml');
  if (!await measured(sheetPath)) throw new NotWorkbook('no sheet part');

  const sharedStrings: unknown[] = [];
  if (hasSharedStrings) {
    for await (const { text: value } of reader._parseSharedStrings(text('xl/sharedStrings.xml'))) {
      if (sharedStrings.length >= limits.maxSharedStrings) throw new LimitExceeded('upload.xlsx_too_many_shared_strings', { max: limits.maxSharedStrings });
      if (textLength(value) > limits.maxCellChars) throw new LimitExceeded('upload.xlsx_cell_too_long', { max: limits.maxCellChars });
      sharedStrings.push(value);
    }
  }
  reader.sharedStrings = sharedStrings;
  if (hasStyles) await reader._parseStyles(text('xl/styles.xml'));

  const sheetNo = /sheet(\d+)\.xml$/.exec(sheetPath)?.[1] ?? '1';
  for (const event of reader._parseWorksheet(utf8Text(parts.get(sheetPath)!.stream()), sheetNo)) {
    if (event.eventType !== 'worksheet') continue;
    let count = 0;
    for await (const row of event.value) {
      if (++count > limits.maxRows) throw new LimitExceeded('upload.xlsx_too_many_rows', { max: limits.maxRows });
      const values = row.values as unknown[];
      let chars = 0;
      for (const value of values) {
        const length = textLength(value);
        if (length > limits.maxCellChars) throw new LimitExceeded('upload.xlsx_cell_too_long', { max: limits.maxCellChars });
        chars += length;
      }
      if (chars > limits.maxRowChars) throw new LimitExceeded('upload.xlsx_row_too_long', { max: limits.maxRowChars });
      await onRow({ number: row.number, values }, chars);
    }
    return;
  }
  throw new NotWorkbook('no worksheet event');
}

// ---------------------------------------------------------------------------------------------
// The conversation with the parent: a batch, then wait until it asks for the next one

async function main(port: NonNullable<typeof parentPort>, input: WorkerInput): Promise<void> {
  let credits = 0;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credits++;
    wake?.();
  });
  const send = async (reply: WorkerReply) => {
    port.postMessage(reply);
    if (reply.type !== 'rows' || reply.isLast) return;
    while (credits === 0) await new Promise<void>((resolve) => { wake = resolve; });
    wake = null;
    credits--;
  };

  let batch: SheetRow[] = [];
  let batchChars = 0;
  try {
    const bytes = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
    await readRows(bytes, input.limits, async (row, chars) => {
      batch.push(row);
      batchChars += chars;
      if (batch.length < BATCH_ROWS && batchChars < BATCH_CHARS) return;
      const rows = batch;
      batch = [];
      batchChars = 0;
      await send({ type: 'rows', rows, isLast: false });
    });
    await send({ type: 'rows', rows: batch, isLast: true });
  } catch (error) {
    if (error instanceof LimitExceeded) await send({ type: 'refused', key: error.key, params: error.params });
    // anything else the parser stumbles on is a damaged zip or an archive that is not a workbook
    else await send({ type: 'invalid' });
  }
  port.close();
}

if (parentPort) void main(parentPort, workerData as WorkerInput);
