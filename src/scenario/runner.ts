// Runs a scenario's steps on a lab and checks its expectations, writing an
// IOS console transcript as it goes (`R1#ping ...` then the output, syslog
// lines as they happen). The result says which step failed and why. A strict
// run also fails on any config-file line a device rejected that no
// `expect-config-error` step declares (checked after boot and at the end).

import { stampedSyslog } from "../config/router/log-timestamps.ts";
import { COMMAND_GRID_NS, type CommandOutput, type Lab } from "../runtime/lab.ts";
import { type ConfigError, configErrorsIn } from "./config-errors.ts";
import type { FrameRecorder } from "./frame-recorder.ts";
import { nearestLine, regexLiteral } from "./nearest-line.ts";
import type { Step, Sum } from "./steps.ts";

/** Outcome of one expectation. */
export interface ExpectationResult {
  line: number;
  ok: boolean;
  description: string;
  /** For a failed expectation: the line of the actual output closest to what was expected. */
  nearest?: string;
}

/** What one device printed during the run, for --json. */
export interface DeviceRecord {
  /** Syslog and console lines (with IOS's timestamp), in order. */
  syslog: string[];
  /** The console transcript: each prompt with its command, then the output lines. */
  console: string[];
}

/** Outcome of a scenario run. */
export interface ScenarioResult {
  scenario: string;
  ok: boolean;
  expectations: ExpectationResult[];
  /** Commands run, with their output, for --json. */
  commands: Array<{ line: number; device: string; command: string; output: string; atNs: number }>;
  /** First failure, as printed. */
  failure?: string;
  virtualTimeNs: number;
  events: number;
  /** Wireshark key tables written next to the captures (esp_sa, ikev1_decryption_table), when any SA came up. */
  keyFiles?: string[];
  /** Whether rejected config lines failed the run (--strict or topology.json's "strict"). */
  strict: boolean;
  /** Config-file lines the devices rejected. */
  configErrors: ConfigError[];
  /** What the loader let pass with a warning (a device without a config file). */
  warnings: string[];
  /** Values the named groups of expect regexes captured. */
  variables: Record<string, number | string>;
  /** Per device: its syslog lines and its console transcript. */
  devices: Record<string, DeviceRecord>;
}

/** How to run the steps. */
export interface RunStepsOptions {
  captureDir?: string;
  strict?: boolean;
  /** Loader warnings: printed first and kept in the result (a strict run fails on them). */
  warnings?: string[];
  /** The frames `replay` steps send again (the lab must be capturing into it). */
  frames?: FrameRecorder;
}

/** The value of a sum, or the name of the first variable that is not a number. */
function evaluate(sum: Sum, variables: Record<string, number | string>): number | { missing: string } {
  let total = 0;
  for (const t of sum) {
    const v = t.variable !== undefined ? variables[t.variable] : t.value;
    const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : undefined;
    if (n === undefined) return { missing: t.variable ?? "?" };
    total += t.sign * n;
  }
  return total;
}

/** An exec or config prompt (`R1#`, `R1>`, `R1(config-if)#`): no question is pending. */
const CLI_PROMPT = /^[^\s()]+(\([\w-]+\))?[#>]$/;

/**
 * The line to type for an answer step: after the question as the device asked it (`Repeat count [5]: 3`),
 * or bare (`3`); an error when no question is pending or the step quotes another question.
 */
export function dialogAnswer(question: string, text: string): string | { error: string } {
  if (CLI_PROMPT.test(question))
    return { error: `"${text}" answers a dialog, but the device asks nothing (its prompt is ${question})` };
  const asked = question.trimEnd();
  if (text.startsWith(asked)) return text.slice(asked.length).trim();
  if (/(\]|:|\?)$/.test(text) || /\]:\s/.test(text)) return { error: `the device asks "${asked}", not "${text}"` };
  return text;
}

/** `{{name}}` replaced by the variable's value (regex-escaped for a regex); unknown names stay as written. */
export function substitute(text: string, variables: Record<string, number | string>, forRegex = false): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const v = variables[name];
    if (v === undefined) return whole;
    return forRegex ? String(v).replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : String(v);
  });
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  "==": (a, b) => a === b,
  "!=": (a, b) => a !== b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

/** Runs the steps; `print` receives the transcript. */
export async function runSteps(
  scenario: string,
  lab: Lab,
  steps: Step[],
  print: (text: string) => void,
  options: RunStepsOptions = {},
): Promise<ScenarioResult> {
  const { captureDir } = options;
  const strict = options.strict === true;
  const warnings = options.warnings ?? [];
  const result: ScenarioResult = {
    scenario,
    ok: true,
    expectations: [],
    commands: [],
    virtualTimeNs: 0,
    events: 0,
    strict,
    configErrors: [],
    warnings,
    variables: {},
    devices: {},
  };
  const record = (device: string): DeviceRecord => {
    let r = result.devices[device];
    if (r === undefined) result.devices[device] = r = { syslog: [], console: [] };
    return r;
  };
  const transcript = (device: string, prompt: string, command: string, output: string) => {
    const lines = output.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    record(device).console.push(`${prompt}${command}`, ...lines);
  };
  const variables = result.variables;
  let lastOutput = "";
  let lastCommand = "";
  let syslogShown = 0;
  // The prompt each device showed after its last command (the transcript prints it before the next).
  const prompts = new Map<string, string>();
  const flushSyslog = () => {
    for (; syslogShown < lab.syslog.length; syslogShown++) {
      const s = lab.syslog[syslogShown]!;
      const colon = s.text.indexOf(": ");
      const device = s.text.slice(0, colon);
      const line = stampedSyslog(s);
      print(`${line}\n`);
      if (colon > 0) record(device).syslog.push(line.slice(colon + 2));
    }
  };
  // Line 0: a failure of the run itself (strict), not of a step.
  const fail = (line: number, description: string, nearest?: string) => {
    result.expectations.push(
      nearest === undefined ? { line, ok: false, description } : { line, ok: false, description, nearest },
    );
    if (result.ok) result.failure = line > 0 ? `step at line ${line}: ${description}` : description;
    result.ok = false;
    print(`  !! FAILED${line > 0 ? ` (line ${line})` : ""}: ${description}\n`);
    if (nearest !== undefined) print(`     nearest output line: ${JSON.stringify(nearest)}\n`);
  };
  // Config lines the steps say will be rejected; a strict run allows no others.
  const declared = new Set(
    steps.flatMap((s) => (s.kind === "expect-config-error" ? [`${s.device} ${s.configLine}`] : [])),
  );
  const reported = new Set<string>();
  const checkStrict = () => {
    result.configErrors = configErrorsIn(lab.syslog);
    if (!strict) return;
    for (const e of result.configErrors) {
      const key = `${e.device} ${e.line}`;
      if (declared.has(key) || reported.has(key)) continue;
      reported.add(key);
      fail(0, `strict: ${e.device} config line ${e.line} was rejected: ${e.text.trim()} (${e.message})`);
    }
  };
  for (const w of warnings) {
    print(`${w}\n`);
    if (strict) fail(0, `strict: ${w.replace(/^% /, "")}`);
  }
  // Let start-up happen (configs load, carriers rise) so its syslog can be checked.
  await lab.run(COMMAND_GRID_NS);
  flushSyslog();
  checkStrict();
  for (const step of steps) {
    switch (step.kind) {
      case "command": {
        flushSyslog();
        let out: CommandOutput;
        try {
          out = await lab.command(substitute(step.device, variables), substitute(step.text, variables));
        } catch (e) {
          fail(step.line, (e as Error).message);
          continue;
        }
        const device = substitute(step.device, variables);
        const text = substitute(step.text, variables);
        print(`${prompts.get(device) ?? `${device}#`}${text}\n${out.output}`);
        transcript(device, prompts.get(device) ?? `${device}#`, text, out.output);
        prompts.set(device, out.prompt);
        lastOutput = out.output;
        lastCommand = `${device}# ${text}`;
        result.commands.push({
          line: step.line,
          device,
          command: text,
          output: out.output,
          atNs: out.doneAtNs,
        });
        break;
      }
      case "answer": {
        flushSyslog();
        const device = substitute(step.device, variables);
        const question = prompts.get(device) ?? `${device}#`;
        const answer = dialogAnswer(question, substitute(step.text, variables));
        if (typeof answer !== "string") {
          fail(step.line, answer.error);
          continue;
        }
        let out: CommandOutput;
        try {
          out = await lab.command(device, answer);
        } catch (e) {
          fail(step.line, (e as Error).message);
          continue;
        }
        print(`${question}${answer}\n${out.output}`);
        transcript(device, question, answer, out.output);
        prompts.set(device, out.prompt);
        // A dialog is one step: expectations read everything it printed.
        lastOutput += out.output;
        result.commands.push({ line: step.line, device, command: answer, output: out.output, atNs: out.doneAtNs });
        break;
      }
      case "expect": {
        const regex = step.regex?.source.includes("{{")
          ? new RegExp(substitute(step.regex.source, variables, true), step.regex.flags)
          : step.regex;
        const expected = step.text !== undefined ? substitute(step.text, variables) : undefined;
        const match = regex !== undefined ? regex.exec(lastOutput) : null;
        const hit = regex !== undefined ? match !== null : lastOutput.includes(expected!);
        if (match?.groups !== undefined && !step.negate)
          for (const [k, v] of Object.entries(match.groups))
            if (v !== undefined) variables[k] = /^\d+$/.test(v) ? Number(v) : v;
        const what = regex !== undefined ? String(regex) : JSON.stringify(expected);
        const description = `${step.negate ? "no " : ""}${what} in the output of "${lastCommand}"`;
        if (hit === !step.negate) result.expectations.push({ line: step.line, ok: true, description });
        else if (step.negate) {
          // The line that holds what should not be there.
          const offending = lastOutput
            .split("\n")
            .find((l) => (regex !== undefined ? regex.test(l) : l.includes(expected!)));
          fail(step.line, `expected ${description}`, offending);
        } else {
          const near = nearestLine(lastOutput, regex !== undefined ? regexLiteral(regex.source) : expected!);
          fail(step.line, `expected ${description}`, near);
        }
        break;
      }
      case "expect-block": {
        const want = step.lines.map((l) => substitute(l, variables));
        const got = lastOutput.split("\n").map((l) => l.trimEnd());
        const description = `a block of ${want.length} line(s) starting ${JSON.stringify(want[0])} in the output of "${lastCommand}"`;
        let found = false;
        // Where the block matches furthest (for the failure): the output line and block line that differ.
        let best = { matched: -1, at: -1 };
        for (let at = 0; at < got.length && !found; at++) {
          let k = 0;
          while (k < want.length && got[at + k] === want[k]) k++;
          if (k === want.length) found = true;
          else if (k > best.matched) best = { matched: k, at };
        }
        if (found) result.expectations.push({ line: step.line, ok: true, description });
        else if (best.matched > 0) {
          const k = best.matched;
          fail(
            step.line,
            `expected ${description}; block line ${k + 1} ${JSON.stringify(want[k])} differs`,
            got[best.at + k] ?? "(end of output)",
          );
        } else fail(step.line, `expected ${description}`, nearestLine(lastOutput, want[0]!));
        break;
      }
      case "expect-syslog": {
        flushSyslog();
        const text = substitute(step.text, variables);
        const hit = lab.syslog.some((s) => s.text.includes(text));
        const description = `a syslog line containing ${JSON.stringify(text)}`;
        if (hit) result.expectations.push({ line: step.line, ok: true, description });
        else fail(step.line, `expected ${description}`, nearestLine(lab.syslog.map((s) => s.text).join("\n"), text));
        break;
      }
      case "expect-config-error": {
        flushSyslog();
        const errors = configErrorsIn(lab.syslog);
        const e = errors.find((x) => x.device === step.device && x.line === step.configLine);
        const description = `${step.device} config line ${step.configLine} rejected`;
        if (e !== undefined) result.expectations.push({ line: step.line, ok: true, description });
        else {
          const others = errors.filter((x) => x.device === step.device).map((x) => x.line);
          fail(
            step.line,
            `expected ${description}, but it loaded (${step.device}'s rejected lines: ${others.length > 0 ? others.join(", ") : "none"})`,
          );
        }
        break;
      }
      case "check": {
        const left = evaluate(step.left, variables);
        const right = evaluate(step.right, variables);
        if (typeof left !== "number" || typeof right !== "number") {
          const missing = typeof left !== "number" ? left.missing : (right as { missing: string }).missing;
          fail(step.line, `check ${step.text}: ${missing} has no number (the expect that sets it did not match)`);
          break;
        }
        const description = `${step.text} (${left} ${step.op} ${right})`;
        if (COMPARE[step.op]!(left, right)) result.expectations.push({ line: step.line, ok: true, description });
        else fail(step.line, `expected ${description}`);
        break;
      }
      case "wait":
        flushSyslog();
        await lab.run(step.durationNs);
        break;
      case "capture":
        print(`capture: every wire of this lab is written to ${captureDir ?? "(no capture folder)"}\n`);
        break;
      case "replay": {
        flushSyslog();
        const frame = options.frames?.lastFrame(substitute(step.wire, variables), step.protocol);
        if (frame === undefined) {
          fail(step.line, `no frame of IP protocol ${step.protocol} has crossed ${step.wire} to replay`);
          break;
        }
        print(`replay: the last IP protocol ${step.protocol} frame seen on ${step.wire} is sent on it again\n`);
        try {
          await lab.injectFrame(substitute(step.wire, variables), frame);
        } catch (e) {
          fail(step.line, (e as Error).message);
        }
        break;
      }
      case "link":
        flushSyslog();
        try {
          await lab.setWire(substitute(step.wire, variables), step.up);
        } catch (e) {
          fail(step.line, (e as Error).message);
        }
        break;
    }
  }
  // Let the last changes settle so their syslog lines show.
  await lab.run(1_000_000);
  flushSyslog();
  checkStrict();
  result.virtualTimeNs = lab.now;
  result.events = lab.events;
  return result;
}
