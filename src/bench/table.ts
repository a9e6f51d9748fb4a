// Plain-text tables for benchmark output: a title line, a header, a rule, and
// columns padded to their widest cell (numbers right-aligned, text left).

/** A cell: text is left-aligned, numbers are right-aligned. */
export type Cell = string | number | null;

/** Formats a number for a table: thousands separators, `digits` decimals. */
export function fmt(n: number | null, digits = 0): string {
  if (n === null || !Number.isFinite(n)) return "-";
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Renders a table with its title line. */
export function renderTable(title: string, header: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map((c) => (c === null ? "-" : typeof c === "number" ? fmt(c) : c)));
  const right = header.map(
    (_, i) => rows.some((r) => typeof r[i] === "number") || text.every((r) => /^[\d.,x×%-]+$/.test(r[i] ?? "")),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return `${[title, line(header), widths.map((w) => "-".repeat(w)).join("  "), ...text.map(line)].join("\n")}\n`;
}
