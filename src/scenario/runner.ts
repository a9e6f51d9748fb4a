// Runs a scenario's steps on a lab and checks its expectations, writing an
// IOS console transcript as it goes (`R1#ping ...` then the output, syslog
// lines as they happen). The result says which step failed and why.

import { logTimestamp } from "../config/ios-clock.ts";
import { COMMAND_GRID_NS, type CommandOutput, type Lab } from "../runtime/lab.ts";
import type { Step } from "./steps.ts";

/** Outcome of one expectation. */
export interface ExpectationResult {
  line: number;
  ok: boolean;
  description: string;
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
}

/** Runs the steps; `print` receives the transcript. */
export async function runSteps(
  scenario: string,
  lab: Lab,
  steps: Step[],
  print: (text: string) => void,
  captureDir?: string,
): Promise<ScenarioResult> {
  const result: ScenarioResult = { scenario, ok: true, expectations: [], commands: [], virtualTimeNs: 0, events: 0 };
  let lastOutput = "";
  let lastCommand = "";
  let syslogShown = 0;
  // The prompt each device showed after its last command (the transcript prints it before the next).
  const prompts = new Map<string, string>();
  const flushSyslog = () => {
    for (; syslogShown < lab.syslog.length; syslogShown++) {
      const s = lab.syslog[syslogShown]!;
      const colon = s.text.indexOf(": ");
      print(`${s.text.slice(0, colon)}: ${logTimestamp(s.atNs)}: ${s.text.slice(colon + 2)}\n`);
    }
  };
  const fail = (line: number, description: string) => {
    result.expectations.push({ line, ok: false, description });
    if (result.ok) result.failure = `step at line ${line}: ${description}`;
    result.ok = false;
    print(`  !! FAILED (line ${line}): ${description}\n`);
  };
  // Let start-up happen (configs load, carriers rise) so its syslog can be checked.
  await lab.run(COMMAND_GRID_NS);
  for (const step of steps) {
    switch (step.kind) {
      case "command": {
        flushSyslog();
        let out: CommandOutput;
        try {
          out = await lab.command(step.device, step.text);
        } catch (e) {
          fail(step.line, (e as Error).message);
          continue;
        }
        print(`${prompts.get(step.device) ?? `${step.device}#`}${step.text}\n${out.output}`);
        prompts.set(step.device, out.prompt);
        lastOutput = out.output;
        lastCommand = `${step.device}# ${step.text}`;
        result.commands.push({
          line: step.line,
          device: step.device,
          command: step.text,
          output: out.output,
          atNs: out.doneAtNs,
        });
        break;
      }
      case "expect": {
        const hit = step.regex !== undefined ? step.regex.test(lastOutput) : lastOutput.includes(step.text!);
        const what = step.regex !== undefined ? String(step.regex) : JSON.stringify(step.text);
        const description = `${step.negate ? "no " : ""}${what} in the output of "${lastCommand}"`;
        if (hit === !step.negate) result.expectations.push({ line: step.line, ok: true, description });
        else fail(step.line, `expected ${description}`);
        break;
      }
      case "expect-syslog": {
        flushSyslog();
        const hit = lab.syslog.some((s) => s.text.includes(step.text));
        const description = `a syslog line containing ${JSON.stringify(step.text)}`;
        if (hit) result.expectations.push({ line: step.line, ok: true, description });
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
      case "link":
        flushSyslog();
        try {
          await lab.setWire(step.wire, step.up);
        } catch (e) {
          fail(step.line, (e as Error).message);
        }
        break;
    }
  }
  // Let the last changes settle so their syslog lines show.
  await lab.run(1_000_000);
  flushSyslog();
  result.virtualTimeNs = lab.now;
  result.events = lab.events;
  return result;
}
