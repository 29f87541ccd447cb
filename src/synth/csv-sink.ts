/**
 * A CSV file written in chunks through a Node write stream, with
 * backpressure: lines are collected in memory up to `chunkChars`, then
 * written; when the stream's buffer is full the caller awaits 'drain'. So
 * memory stays fixed however many rows pass through.
 *
 * Usage: `sink.writeLine(...)` in a loop, then `const wait = sink.flushIfFull();
 * if (wait) await wait;` every so often (per customer), and `await
 * sink.close()` at the end. Lines are written as given: the caller joins
 * fields that never hold commas, quotes or line breaks (the synthetic
 * shop's vocabularies are built that way), so no quoting is needed.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export interface CsvSink {
  readonly path: string;
  /** data rows written so far (header excluded) */
  readonly rows: number;
  writeLine(line: string): void;
  /** writes the collected lines when they exceed the chunk size; a promise when the caller must wait for the stream to drain */
  flushIfFull(): Promise<void> | undefined;
  /** write the rest and close the file */
  close(): Promise<void>;
}

export function openCsvSink(path: string, columns: readonly string[], chunkChars = 1 << 18): CsvSink {
  const stream: WriteStream = createWriteStream(path, { highWaterMark: 1 << 20 });
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure ??= error;
  });
  let parts: string[] = [columns.join(',')];
  let size = 0;
  let rows = 0;

  function flush(): Promise<void> | undefined {
    if (failure) return Promise.reject(failure);
    if (parts.length === 0) return undefined;
    const text = parts.join('\n') + '\n';
    parts = [];
    size = 0;
    if (stream.write(text)) return undefined;
    return once(stream, 'drain').then(() => {
      if (failure) throw failure;
    });
  }

  return {
    path,
    get rows() {
      return rows;
    },
    writeLine(line: string): void {
      parts.push(line);
      size += line.length;
      rows++;
    },
    flushIfFull(): Promise<void> | undefined {
      return size >= chunkChars || failure ? flush() : undefined;
    },
    async close(): Promise<void> {
      const wait = flush();
      if (wait) await wait;
      await new Promise<void>((resolve, reject) => {
        stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
      });
      if (failure) throw failure;
    },
  };
}
