// A one-line progress bar for long benchmarks: redrawn in place on a terminal,
// silent otherwise (a pipe or a file gets no carriage returns and no escape
// codes; the benchmark's own lines say what runs).

/** What the bar writes to: process.stderr, or a test double. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressBar {
  /** Redraws the bar: `label` then done/total as a bar and counts. */
  update(label: string, done: number, total: number): void;
  /** Clears the line (the next output starts on a clean line). */
  clear(): void;
}

const WIDTH = 30;

/** A bar on `stream` if it is a terminal, else one that does nothing. */
export function progressBar(stream: ProgressStream): ProgressBar {
  if (stream.isTTY !== true) return { update() {}, clear() {} };
  let drawn = false;
  return {
    update(label, done, total) {
      const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
      const filled = Math.round(fraction * WIDTH);
      const text = `${label} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${done}/${total}`;
      const max = (stream.columns ?? 100) - 1;
      stream.write(`\r\x1b[K${text.length > max ? text.slice(0, max) : text}`);
      drawn = true;
    },
    clear() {
      if (drawn) stream.write("\r\x1b[K");
      drawn = false;
    },
  };
}
