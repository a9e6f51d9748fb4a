// The line of a command's output that comes closest to an expectation that
// failed, for the end-of-run summary: similarity of character bigrams (Dice's
// coefficient) between the expected text (a regex's literal characters) and
// each line, the first best line winning.

/** The literal characters of a regex source: escapes unwrapped, syntax dropped. */
export function regexLiteral(source: string): string {
  return source
    .replace(/\\([dDsSwWbB])/g, " ")
    .replace(/\\(.)/g, "$1")
    .replace(/\(\?<\w+>|\(\?:|[()[\]{}*+?|^$]/g, "");
}

function bigrams(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const t = text.trim().toLowerCase();
  for (let i = 0; i + 1 < t.length; i++) {
    const b = t.slice(i, i + 2);
    out.set(b, (out.get(b) ?? 0) + 1);
  }
  return out;
}

function dice(a: Map<string, number>, b: Map<string, number>): number {
  let both = 0;
  let total = 0;
  for (const n of a.values()) total += n;
  for (const n of b.values()) total += n;
  for (const [k, n] of a) both += Math.min(n, b.get(k) ?? 0);
  return total === 0 ? 0 : (2 * both) / total;
}

/** The output line most like `expected`, or undefined when the output has no non-blank line. */
export function nearestLine(output: string, expected: string): string | undefined {
  const want = bigrams(expected);
  let best: string | undefined;
  let score = -1;
  for (const line of output.split("\n")) {
    if (line.trim() === "") continue;
    const s = dice(want, bigrams(line));
    if (s > score) {
      score = s;
      best = line;
    }
  }
  return best;
}
