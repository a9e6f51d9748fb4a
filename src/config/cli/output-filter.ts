/**
 * IOS output modifiers: `show ... | include|exclude|begin|section|count REGEX`.
 *
 * As in IOS, everything after the modifier keyword is one regular expression, spaces
 * and `|` included (`| i ip route|router` means "ip route" or "router"), so there is
 * a single modifier per command. Keywords abbreviate by unique prefix (`| i`, `| inc`,
 * `| ex`, `| b`, `| sec`, `| c`). `section` keeps each matching line together with the
 * following lines indented deeper than it, the way running-config blocks nest.
 * The regex is a JavaScript RegExp (close to IOS's POSIX-like flavour for the
 * patterns people type); a bad one gives an IOS-style error instead of throwing.
 */

import { type CliError, INCOMPLETE_COMMAND, INVALID_INPUT } from "./match.ts";

/** The output modifiers IOS offers after `|`. */
export type FilterKind = "include" | "exclude" | "begin" | "section" | "count";

/** A parsed output modifier. */
export interface OutputFilter {
  readonly kind: FilterKind;
  readonly pattern: string;
  readonly regex: RegExp;
}

const KINDS: readonly FilterKind[] = ["begin", "count", "exclude", "include", "section"];

/** Result of parsing the text after `|`. */
export type FilterParse =
  | { readonly ok: true; readonly filter: OutputFilter }
  | { readonly ok: false; readonly error: CliError };

/**
 * Parses the modifier in `line` starting at column `from` (just after the `|`).
 * Error columns are relative to the whole line.
 */
export function parseOutputFilter(line: string, from: number): FilterParse {
  const m = /\S+/.exec(line.slice(from));
  if (!m) return { ok: false, error: { kind: "incomplete", message: INCOMPLETE_COMMAND } };
  const column = from + m.index;
  const word = m[0].toLowerCase();
  const hits = KINDS.filter((k) => k.startsWith(word));
  if (hits.length !== 1 || !hits[0]) {
    let best = 0;
    for (const k of KINDS) {
      let p = 0;
      while (p < word.length && word[p] === k[p]) p++;
      best = Math.max(best, p);
    }
    return { ok: false, error: { kind: "invalid", column: column + best, message: INVALID_INPUT } };
  }
  const pattern = line.slice(column + m[0].length).trim();
  if (pattern === "") return { ok: false, error: { kind: "incomplete", message: INCOMPLETE_COMMAND } };
  const regex = compileIosRegex(pattern);
  if (typeof regex === "string") return { ok: false, error: { kind: "handler", message: regex } };
  return { ok: true, filter: { kind: hits[0], pattern, regex } };
}

/**
 * Compiles an IOS regex; returns an error string if invalid. `_` matches a delimiter
 * (space, comma, braces, parentheses, start or end) as in IOS, and also a literal
 * underscore so that `| i CMAP_ICMP` finds names that contain one.
 */
export function compileIosRegex(pattern: string): RegExp | string {
  const source = pattern.replace(/(^|[^\\])_/g, "$1(?:^|$|[\\s,{}()_])");
  try {
    return new RegExp(source);
  } catch {
    return `% Invalid regular expression: "${pattern}"`;
  }
}

/** Applies a filter to command output; lines are split on `\n` and rejoined. */
export function applyOutputFilter(output: string, filter: OutputFilter): string {
  const trailing = output.endsWith("\n");
  const lines = (trailing ? output.slice(0, -1) : output).split("\n");
  const re = filter.regex;
  let kept: string[];
  switch (filter.kind) {
    case "include":
      kept = lines.filter((l) => re.test(l));
      break;
    case "exclude":
      kept = lines.filter((l) => !re.test(l));
      break;
    case "begin": {
      const at = lines.findIndex((l) => re.test(l));
      kept = at < 0 ? [] : lines.slice(at);
      break;
    }
    case "section":
      kept = section(lines, re);
      break;
    case "count":
      return `Number of lines which match regexp = ${lines.filter((l) => re.test(l)).length}\n`;
  }
  return kept.length === 0 ? "" : kept.join("\n") + (trailing ? "\n" : "");
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** A matching line plus the lines after it that are indented deeper (its children). */
function section(lines: readonly string[], re: RegExp): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!re.test(line)) continue;
    out.push(line);
    const depth = indentOf(line);
    while (i + 1 < lines.length) {
      const next = lines[i + 1] ?? "";
      if (next.trim() === "" || indentOf(next) <= depth) break;
      out.push(next);
      i++;
    }
  }
  return out;
}

/** Position of the `|` that starts an output modifier, or -1 (the first `|` in the line). */
export function findPipe(line: string): number {
  return line.indexOf("|");
}
