// A sequence of IOS questions over the CLI session's dialog mechanism
// (session.ask): each question shows its prompt with the default in brackets,
// reads the next line (Enter takes the default), may be skipped by earlier
// answers, and either stores the answer, ends the dialog with IOS's error, or
// asks again (yes/no questions). When the last question is answered the
// dialog's finish runs, as the one-line command would.

import type { Answer, HandlerResult } from "../cli/modes.ts";

/** The part of a CLI session a dialog needs. */
export interface Asker {
  ask(prompt: string, answer: Answer): void;
}

/** What reading an answer did: stored it (undefined), ended with an error (`% ...`), or asks again after a message. */
export type AnswerOutcome = undefined | string | { readonly again: string };

/** One question of a dialog over state S. */
export interface DialogQuestion<S> {
  /** The prompt as IOS prints it, e.g. `Repeat count [5]: `. */
  readonly prompt: string;
  /** Asked only when this says so (e.g. the sweep sizes after `Sweep range of sizes [n]: y`). */
  readonly when?: (state: S) => boolean;
  /** Reads the trimmed answer (empty for Enter) into the state. */
  readonly read: (answer: string, state: S) => AnswerOutcome;
}

/** Runs the questions in order on the session, then `finish` with the state the answers filled in. */
export function runDialog<S>(
  session: Asker,
  state: S,
  questions: readonly DialogQuestion<S>[],
  finish: (state: S) => HandlerResult,
): HandlerResult {
  const ask = (from: number): HandlerResult => {
    let i = from;
    while (i < questions.length && questions[i]!.when?.(state) === false) i++;
    const q = questions[i];
    if (q === undefined) return finish(state);
    session.ask(q.prompt, (answer) => {
      const outcome = q.read(answer.trim(), state);
      if (typeof outcome === "string") return outcome;
      if (outcome !== undefined) {
        ask(i);
        return outcome.again;
      }
      return ask(i + 1);
    });
    return undefined;
  };
  return ask(0);
}

/** IOS's yes/no answer: Enter takes the default, y/yes/n/no in any case, anything else asks again. */
export function yesNo(answer: string, fallback: boolean): boolean | { readonly again: string } {
  if (answer === "") return fallback;
  const a = answer.toLowerCase();
  if ("yes".startsWith(a)) return true;
  if ("no".startsWith(a)) return false;
  return { again: "% Please answer 'yes' or 'no'." };
}

/** A whole number in [lo, hi] (Enter: the default), or IOS's range message. */
export function decimal(answer: string, fallback: number, lo: number, hi: number): number | string {
  if (answer === "") return fallback;
  const v = /^\d+$/.test(answer) ? Number(answer) : Number.NaN;
  return Number.isInteger(v) && v >= lo && v <= hi ? v : `% A decimal number between ${lo} and ${hi}.`;
}

/** IOS's `[confirm]`: Enter, y or yes go ahead; anything else declines. */
export function confirmed(answer: string): boolean {
  const a = answer.trim().toLowerCase();
  return a === "" || a === "y" || a === "yes";
}
