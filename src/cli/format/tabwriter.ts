/**
 * Aligns tab-separated text into columns the way Go's text/tabwriter does (elastic tabstops),
 * configured as the docker CLI configures it for tables:
 * `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`.
 *
 * Rules:
 * - A cell is text terminated by "\t" (or "\v"). The text after the last tab of a line is the
 *   line's trailing cell: it belongs to no column and is never padded.
 * - Cell j of consecutive lines that all have a tab-terminated cell j forms a column block. A
 *   line with fewer cells ends the block; the next line with a cell j starts a new one.
 * - Every cell of a block is padded to max(minWidth, widest cell + padding).
 * - "\f" ends a line like "\n" (and is written as "\n") and also ends every column block.
 * - Widths count Unicode code points, as Go's utf8.RuneCount does; pass `cellWidth` to measure
 *   differently.
 *
 * Only flags = 0 is supported (no AlignRight, DiscardEmptyColumns, FilterHTML, escapes).
 */

export interface TabWriterOptions {
  /** Minimal cell width, padding included. */
  readonly minWidth: number;
  /** Width of a tab character; only used when padChar is "\t". */
  readonly tabWidth: number;
  /** Added to the widest cell of a column block. */
  readonly padding: number;
  /** The character used for padding: " " or "\t". */
  readonly padChar: string;
  /** The display width of a cell's text. Defaults to the number of code points. */
  readonly cellWidth?: (text: string) => number;
}

/** The docker CLI's table settings: minwidth 10, tabwidth 1, padding 3, padded with spaces. */
export const DOCKER_TABLE_OPTIONS: TabWriterOptions = {
  minWidth: 10,
  tabWidth: 1,
  padding: 3,
  padChar: ' ',
};

interface Cell {
  readonly text: string;
  readonly width: number;
}

const codePointCount = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/**
 * A streaming writer: write() text in any pieces, flush() at the end. Output is handed to
 * `output` as soon as it can no longer change, that is after a line without tabs or a "\f".
 */
export class TabWriter {
  readonly #output: (chunk: string) => void;
  readonly #options: TabWriterOptions;
  readonly #cellWidth: (text: string) => number;
  /** Completed lines, then the current line (always present, possibly empty). */
  #lines: Cell[][] = [[]];
  /** Text of the current, not yet terminated cell. */
  #cell = '';

  constructor(output: (chunk: string) => void, options: TabWriterOptions = DOCKER_TABLE_OPTIONS) {
    if (options.minWidth < 0 || options.tabWidth < 0 || options.padding < 0) {
      throw new RangeError('negative minWidth, tabWidth, or padding');
    }
    this.#output = output;
    this.#options = options;
    this.#cellWidth = options.cellWidth ?? codePointCount;
  }

  write(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charAt(i);
      if (ch !== '\t' && ch !== '\v' && ch !== '\n' && ch !== '\f') continue;
      this.#cell += text.slice(start, i);
      start = i + 1;
      const cellCount = this.#terminateCell();
      if (ch === '\n' || ch === '\f') {
        this.#lines.push([]);
        // A line without tab-terminated cells (or a form feed) ends every column block, so
        // everything before it is final.
        if (ch === '\f' || cellCount === 1) this.flush();
      }
    }
    this.#cell += text.slice(start);
  }

  /** Writes out everything buffered; the next write() starts new column blocks. */
  flush(): void {
    if (this.#cell !== '') this.#terminateCell();
    const out: string[] = [];
    this.#format(out, [], 0, this.#lines.length);
    this.#lines = [[]];
    this.#cell = '';
    if (out.length > 0) this.#output(out.join(''));
  }

  #terminateCell(): number {
    const line = this.#currentLine();
    line.push({ text: this.#cell, width: this.#cellWidth(this.#cell) });
    this.#cell = '';
    return line.length;
  }

  #currentLine(): Cell[] {
    const line = this.#lines[this.#lines.length - 1];
    if (line === undefined) throw new Error('tabwriter: no current line');
    return line;
  }

  #line(i: number): readonly Cell[] {
    return this.#lines[i] ?? [];
  }

  /**
   * Formats lines [line0, line1) given the widths of the columns to the left; each recursion
   * level finds the blocks of the next column (Go's Writer.format).
   */
  #format(out: string[], widths: number[], line0: number, line1: number): void {
    const column = widths.length;
    for (let i = line0; i < line1; i++) {
      if (column >= this.#line(i).length - 1) continue;
      // A block of column `column` starts at line i.
      this.#writeLines(out, widths, line0, i);
      line0 = i;
      let width = this.#options.minWidth;
      for (; i < line1; i++) {
        const line = this.#line(i);
        if (column >= line.length - 1) break;
        width = Math.max(width, (line[column]?.width ?? 0) + this.#options.padding);
      }
      this.#format(out, [...widths, width], line0, i);
      line0 = i;
    }
    this.#writeLines(out, widths, line0, line1);
  }

  #writeLines(out: string[], widths: readonly number[], line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      this.#line(i).forEach((cell, j) => {
        out.push(cell.text);
        const cellWidth = widths[j];
        if (cellWidth !== undefined) out.push(this.#padding(cell.width, cellWidth));
      });
      // The last buffered line is the unterminated current one: it gets no newline.
      if (i + 1 < this.#lines.length) out.push('\n');
    }
  }

  #padding(textWidth: number, cellWidth: number): string {
    const { padChar, tabWidth } = this.#options;
    if (padChar !== '\t') return padChar.repeat(Math.max(cellWidth - textWidth, 0));
    if (tabWidth === 0) return '';
    // Tabs: pad to the next multiple of tabWidth at or after the cell width.
    const rounded = Math.ceil(cellWidth / tabWidth) * tabWidth;
    return '\t'.repeat(Math.ceil((rounded - textWidth) / tabWidth));
  }
}

/** Aligns a whole table at once: formatTable("NAME\tID\nweb\t1\n"). */
export function formatTable(text: string, options: TabWriterOptions = DOCKER_TABLE_OPTIONS): string {
  const chunks: string[] = [];
  const writer = new TabWriter((chunk) => chunks.push(chunk), options);
  writer.write(text);
  writer.flush();
  return chunks.join('');
}
