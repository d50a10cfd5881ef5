import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import ExcelJS from 'exceljs';
import { safeRow } from './spreadsheet-cells.js';

/** Rows per query: keyset batches, so a city's records never sit in memory at once. */
export const EXPORT_BATCH_ROWS = 2_000;

export interface SheetColumn<K extends string> { header: string; key: K; width: number }

export interface StreamedSheet<Row, K extends string> {
  sheetName: string;
  columns: readonly SheetColumn<K>[];
  /** The next batch after `after` (null: the first), in the export's keyset order, at most `batchRows` rows. */
  nextBatch(after: Row | null, batchRows: number): Promise<Row[]>;
  cellsOf(row: Row): Record<K, string | number | null>;
  /**
   * Runs once the response has started, before the first batch is fetched: the export's audit entry
   * with its row count, so that no row leaves unrecorded while the count (a scan of everything the
   * export covers: a district's year of answers is 400 ms at the bench's scale) does not hold up
   * the download's first bytes. If it fails, the download is cut off before any row.
   */
  beforeRows?: () => Promise<void>;
  /** What the log names the export by. */
  label: string;
  batchRows?: number;
}

/** Exports being written now, and how the finished ones ended: the tests and /metrics read these. */
export const exportStreams = { running: 0, completed: 0, stoppedByClient: 0, failed: 0 };

/**
 * An .xlsx written while it is downloaded: exceljs's streaming writer into a PassThrough that the
 * reply pipes to the client. Rows come from PostgreSQL in keyset batches (one short query each,
 * the pooled connection back between batches); after each batch the writer waits until the batch
 * has gone through the zip's deflate and on to the client, so memory holds about one batch whatever
 * the size of the export or the speed of the deflate. When the client goes
 * away Fastify destroys the stream: the loop sees it at the next batch and stops fetching (no more
 * queries, no error, the zip left unfinished for the collector), and a client that leaves while
 * the zip is being closed does not leave the export waiting for ever.
 */
export function streamSheet<Row, K extends string>(spec: StreamedSheet<Row, K>, log: FastifyBaseLogger): Readable {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = '党建云';
  const sheet = workbook.addWorksheet(spec.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = spec.columns.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const batchRows = spec.batchRows ?? EXPORT_BATCH_ROWS;

  const writeRows = async (): Promise<'completed' | 'stoppedByClient'> => {
    let after: Row | null = null;
    let written = 0;
    if (spec.beforeRows) {
      await spec.beforeRows();
      if (output.destroyed) return stopped(written);
    }
    for (;;) {
      const batch = await spec.nextBatch(after, batchRows);
      if (output.destroyed) return stopped(written);
      for (const row of batch) sheet.addRow(safeRow(spec.cellsOf(row))).commit();
      written += batch.length;
      if (batch.length < batchRows) break;
      after = batch[batch.length - 1]!;
      // wait for the zip, then for the client: neither may pile up in memory ahead of the other
      await zipped(sheet, output);
      // and let the socket work: the embedded database answers without touching the event loop,
      // so without this turn the batches would run back to back with the download standing still
      await new Promise((resolve) => setImmediate(resolve));
      if (output.destroyed) return stopped(written);
    }
    sheet.commit();
    // a client that leaves during the last part never lets the zip finish: stop waiting for it then
    const closed = new Promise<'closed'>((resolve) => output.once('close', () => resolve('closed')));
    if (await Promise.race([workbook.commit().then(() => 'committed' as const), closed]) === 'closed' && !output.writableFinished) return stopped(written);
    return 'completed';
  };
  const stopped = (written: number) => {
    log.info({ export: spec.label, rowsWritten: written }, 'export stopped: the client went away');
    return 'stoppedByClient' as const;
  };
  exportStreams.running++;
  writeRows().then((outcome) => { exportStreams[outcome]++; }, (error: unknown) => {
    exportStreams.failed++;
    log.error({ err: error, export: spec.label }, 'export failed');
    output.destroy(error instanceof Error ? error : new Error(String(error)));
  }).finally(() => { exportStreams.running--; });
  return output;
}

/**
 * Where exceljs's streaming writer hands a sheet's XML to the zip (not in its typings): archiver's
 * input for the entry, a readable-stream 2 PassThrough, which has no writableNeedDrain of its own.
 */
interface SheetInternals { stream?: { pipes?: (Writable & { _writableState?: { needDrain: boolean } })[] } }

/**
 * Until the rows written so far have gone through the zip's deflate and on to the client (or the
 * client has gone). exceljs writes the sheet's XML into archiver's input for the entry without
 * looking at what that write returns, so the XML the deflate has not reached yet piles up there
 * outside the JS heap: when rows come faster than the deflate takes them (three exports on two
 * cores, or a fast query) the whole sheet could end up in it — 180 MB for the city's roster.
 * Waiting for that input to drain keeps it to about one batch (some 1.5 MB of XML).
 */
async function zipped(sheet: ExcelJS.Worksheet, output: PassThrough): Promise<void> {
  const zipInput = (sheet as unknown as SheetInternals).stream?.pipes?.[0];
  if (zipInput?._writableState?.needDrain && !output.destroyed) await drainedOrClosed(zipInput, output);
  if (output.writableNeedDrain && !output.destroyed) await drainedOrClosed(output, output);
}

/** `stream` drained, or `output` closed (the client gone: the zip stops reading then, and never drains). */
function drainedOrClosed(stream: Writable, output: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      output.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    output.on('close', done);
  });
}
