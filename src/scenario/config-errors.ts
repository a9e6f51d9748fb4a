// Rejected config-file lines, read back from a lab's console log. A device
// reports each line of its configuration that did not load as a console line
// `% R1 config line 7: <the line>` followed by IOS's echo, caret and message
// (actors/router.ts); a strict run fails on any of them that no
// `expect-config-error` step declared.

import type { SyslogLine } from "../runtime/lab.ts";

/** One rejected config line. */
export interface ConfigError {
  device: string;
  /** Line number in the device's config file. */
  line: number;
  /** The rejected line as written. */
  text: string;
  /** IOS's message (the `%` line). */
  message: string;
  /** Virtual time it was reported at (a restart reloads and reports again). */
  atNs: number;
}

const HEAD = /^(\S+): % (\S+) config line (\d+): (.*)$/;

/** The config errors among console lines, in order; the same device and line once. */
export function configErrorsIn(lines: readonly SyslogLine[]): ConfigError[] {
  const out: ConfigError[] = [];
  const seen = new Set<string>();
  for (const l of lines) {
    const [head, ...rest] = l.text.split("\n");
    const m = HEAD.exec(head ?? "");
    if (m === null || m[1] !== m[2]) continue;
    const key = `${m[1]} ${m[3]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const message = rest.filter((r) => r.startsWith("%")).join(" ") || rest.at(-1) || "";
    out.push({ device: m[1]!, line: Number(m[3]), text: m[4]!, message: message.trim(), atNs: l.atNs });
  }
  return out;
}
