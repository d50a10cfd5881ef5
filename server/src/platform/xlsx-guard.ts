import { Worker, type WorkerOptions } from 'node:worker_threads';
import { AppError, invalidField } from './errors.js';
import { defineMessages } from './i18n.js';
import type { SheetLimits, SheetRow, WorkerInput, WorkerReply } from './xlsx-worker.js';

export type { SheetRow } from './xlsx-worker.js';

/**
 * Every uploaded spreadsheet is read here, never in the server's own heap: a 414 KB file holding
 * one 400 MB cell, or 2.3 MB of shared strings that inflate to 1 GB, ended the process with an
 * out-of-memory error, and 1 GB of empty rows held a core for minutes. The rows are read in a
 * worker thread (xlsx-worker.ts) with a heap of its own, a time budget, and the limits below,
 * which are checked on the inflated bytes as they stream.
 *
 * The limits are sized for the largest real upload, a 50,000-member roster: its sheet inflates to
 * 30–45 MB of XML (shared strings or inline), its shared strings to about 3 MB and 250,000
 * entries, and it parses in about 5 s.
 */
export const SHEET_LIMITS: SheetLimits = {
  maxUnzippedBytes: 200 * 1024 * 1024,
  maxSharedStringsBytes: 64 * 1024 * 1024,
  maxSharedStrings: 1_000_000,
  /** Excel's own limit for the text of a cell. */
  maxCellChars: 32_767,
  maxRowChars: 1_000_000,
  /** Twice the member import's 50,000 rows, so that blank and formatted-only rows still fit. */
  maxRows: 100_000,
};

/** The time a sheet may take to parse, counted only while the reader is waiting for the worker. */
export const PARSE_SECONDS = 60;

/**
 * The worker's heap. A 50,000-row roster reads in 64 MB (in 48 MB with the collector running
 * flat out): shared strings and styles are held, rows are not. A file that needs more than three
 * times that is refused rather than given more.
 */
const WORKER_RESOURCE_LIMITS = { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 32, codeRangeSizeMb: 32, stackSizeMb: 4 };

/** Two cores: more parses at once would only queue for them, and each holds a worker's heap. */
const MAX_PARALLEL_PARSES = 2;

defineMessages({
  'upload.xlsx_unzipped_too_large': { zh: '文件解压后超过 {max} MB，请删去无关的工作表、图片和格式后重新上传', en: 'The file exceeds {max} MB once unzipped; remove unrelated sheets, pictures and formatting' },
  'upload.xlsx_shared_strings_too_large': { zh: '文件中的文字（共享字符串）解压后超过 {max} MB', en: 'The text of the file (shared strings) exceeds {max} MB once unzipped' },
  'upload.xlsx_too_many_shared_strings': { zh: '文件中的不同文字（共享字符串）超过 {max} 条', en: 'The file holds more than {max} distinct texts (shared strings)' },
  'upload.xlsx_cell_too_long': { zh: '单元格内容超过 {max} 字', en: 'A cell holds more than {max} characters' },
  'upload.xlsx_row_too_long': { zh: '一行的内容合计超过 {max} 字', en: 'A row holds more than {max} characters' },
  'upload.xlsx_token_too_long': { zh: '文件中有超过 {max} KB 的单个 XML 标记，不是正常的 Excel 文件', en: 'The file holds a single XML tag over {max} KB; it is not a normal Excel file' },
  'upload.xlsx_too_many_rows': { zh: '工作表行数超过 {max} 行（空行也计算在内），请删去多余的空行或拆分后上传', en: 'The sheet has more than {max} rows (empty rows count too); delete the empty rows or split the file' },
  'upload.xlsx_timeout': { zh: '文件过于复杂，处理超时（{seconds} 秒）', en: 'The file is too complex: reading it took over {seconds} seconds' },
  'upload.xlsx_out_of_memory': { zh: '文件过于复杂，读取时超出内存限制', en: 'The file is too complex: reading it ran out of memory' },
});

const isSource = import.meta.url.endsWith('.ts');
/**
 * Run from TypeScript (tests, tsx) the worker is a .ts file too, loaded through tsx's API:
 * `execArgv: ['--import', 'tsx']` does not reach a worker's module loader on Node 20.
 */
const workerFile = new URL(isSource ? './xlsx-worker.ts' : './xlsx-worker.js', import.meta.url);
const startWorker = (options: WorkerOptions): Worker => {
  if (!isSource) return new Worker(workerFile, options);
  const tsxApi = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(workerFile.href)}, ${JSON.stringify(import.meta.url)}))`, { ...options, eval: true });
};

let running = 0;
const waiting: (() => void)[] = [];

async function takeParseSlot(): Promise<() => void> {
  if (running < MAX_PARALLEL_PARSES) running++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  // the slot passes straight to the next in line, so `running` stays counted
  return () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}

export interface ReadSheetOptions {
  /** The caller's "this is not an Excel file" error (each upload words it for its own form). */
  notWorkbook: () => AppError;
  limits?: Partial<SheetLimits>;
  parseSeconds?: number;
}

/**
 * The rows of the first visible sheet of an .xlsx held in `bytes` (an upload, at most 10 MB), in
 * order, as exceljs values (`values[1]` is column A). Rows are read ahead one batch at a time;
 * leaving the loop early stops the worker. Any limit reached is a 400 on field `file` naming it.
 */
export async function* readSheetRows(bytes: Uint8Array, options: ReadSheetOptions): AsyncGenerator<SheetRow> {
  const limits = { ...SHEET_LIMITS, ...options.limits };
  const seconds = options.parseSeconds ?? PARSE_SECONDS;
  const release = await takeParseSlot();
  const input: WorkerInput = { bytes, limits };
  const worker = startWorker({ workerData: input, resourceLimits: WORKER_RESOURCE_LIMITS });
  let budgetMs = seconds * 1000;

  // the worker answers one reply per request; a reply, its death or the budget's end settles the wait
  let settle: ((outcome: { reply?: WorkerReply; error?: unknown }) => void) | null = null;
  const settleWith = (outcome: { reply?: WorkerReply; error?: unknown }) => {
    const s = settle;
    settle = null;
    s?.(outcome);
  };
  worker.on('message', (reply: WorkerReply) => settleWith({ reply }));
  worker.on('error', (error) => settleWith({ error }));
  worker.on('exit', (code) => settleWith({ error: new Error(`sheet reader worker exited with code ${code} before answering`) }));

  const nextReply = async (): Promise<WorkerReply> => {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const outcome = await new Promise<{ reply?: WorkerReply; error?: unknown }>((resolve) => {
      settle = resolve;
      timer = setTimeout(() => settleWith({ error: 'timeout' }), budgetMs);
    }).finally(() => clearTimeout(timer));
    budgetMs -= Date.now() - started;
    if (outcome.error === 'timeout') throw invalidField('file', 'upload.xlsx_timeout', { seconds });
    if (outcome.error) {
      if ((outcome.error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') throw invalidField('file', 'upload.xlsx_out_of_memory');
      throw outcome.error;
    }
    return outcome.reply!;
  };

  try {
    for (;;) {
      const reply = await nextReply();
      if (reply.type === 'invalid') throw options.notWorkbook();
      if (reply.type === 'refused') throw invalidField('file', reply.key, reply.params);
      yield* reply.rows;
      if (reply.isLast) return;
      worker.postMessage('next');
    }
  } finally {
    settle = null;
    await worker.terminate();
    release();
  }
}
