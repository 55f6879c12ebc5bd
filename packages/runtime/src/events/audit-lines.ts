/** Line splitting for the audit: bounded per line, synchronous per chunk. */

/**
 * Splits bytes into lines without ever holding more than `maxLineBytes` of one line (node:readline
 * would buffer a whole over-long line before it could be refused). Each line is decoded on its
 * own, straight from the chunk: a chunk-wide string would keep the whole chunk alive for as long as
 * any line of it is. Synchronous per chunk, so a line costs no promise.
 */
export class LineSplitter {
  /** The start of the current line, when it began in an earlier chunk; within `maxLineBytes`. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Bytes of the current line already dropped because it is too long; 0 while it fits. */
  #overflow = 0;
  #line = 0;
  constructor(
    private readonly onLine: (line: number, text: string) => void,
    private readonly onTooLong: (line: number, bytes: number) => void,
    readonly maxLineBytes = 1 << 20,
  ) {}

  /** Ends the current line with `buffer[start, end)`. */
  #finish(buffer: Buffer, start: number, end: number): void {
    this.#line += 1;
    const bytes = this.#overflow + this.#pendingBytes + (end - start);
    if (this.#overflow > 0 || bytes > this.maxLineBytes) {
      this.onTooLong(this.#line, bytes);
    } else {
      // Lines end with \n or \r\n; multi-byte characters never contain either byte.
      const stop = end > start && buffer[end - 1] === 13 ? end - 1 : end;
      if (this.#pending.length === 0) {
        this.onLine(this.#line, buffer.toString('utf8', start, stop));
      } else {
        const text = Buffer.concat([...this.#pending, buffer.subarray(start, end)]).toString('utf8');
        this.onLine(this.#line, text.endsWith('\r') ? text.slice(0, -1) : text);
      }
    }
    this.#overflow = 0;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  push(chunk: Uint8Array | string): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let newline = buffer.indexOf(10, start); newline !== -1; newline = buffer.indexOf(10, start)) {
      this.#finish(buffer, start, newline);
      start = newline + 1;
    }
    const rest = buffer.length - start;
    if (rest === 0) return;
    if (this.#overflow > 0 || this.#pendingBytes + rest > this.maxLineBytes) {
      this.#overflow += this.#pendingBytes + rest;
      this.#pending = [];
      this.#pendingBytes = 0;
    } else {
      this.#pending.push(Buffer.from(buffer.subarray(start))); // a copy: the stream may reuse its chunk
      this.#pendingBytes += rest;
    }
  }

  /** The last line, when the input does not end with a newline. */
  end(): void {
    if (this.#overflow > 0 || this.#pendingBytes > 0) this.#finish(Buffer.alloc(0), 0, 0);
  }
}
