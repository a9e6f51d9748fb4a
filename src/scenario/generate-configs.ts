// `bun run generate`: seed 000's workflow of one master configuration and a
// data file giving each branch's values. Every row of the CSV becomes one
// configuration file named after a column (HOSTNAME by default). All files
// are rendered in memory first, then written into a temporary folder beside
// the output and renamed into place, so an error (a missing variable, a bad
// row, a duplicate name) leaves nothing behind.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { compileTemplate, parseCsv, renderTemplate, TemplateError } from "./config-template.ts";

/** What to generate. */
export interface GenerateOptions {
  template: string;
  data: string;
  out: string;
  /** The column naming each file (default HOSTNAME, else the first column). */
  nameColumn?: string;
  /** Added to each name (default `.cfg`). */
  extension?: string;
  /** The column names of a data file without a header line. */
  columns?: readonly string[];
}

/** Renders every row; returns the files written (names in row order). */
export function generateConfigs(opts: GenerateOptions): string[] {
  const template = compileTemplate(readFileSync(opts.template, "utf8"), opts.template);
  const data = parseCsv(readFileSync(opts.data, "utf8"), opts.data, opts.columns);
  for (const v of template.variables)
    if (!data.columns.includes(v))
      throw new TemplateError(
        { file: opts.data, column: v },
        `${basename(opts.template)} uses {{${v}}} but the data has no such column (columns: ${data.columns.join(", ")})`,
      );
  const nameColumn = opts.nameColumn ?? (data.columns.includes("HOSTNAME") ? "HOSTNAME" : data.columns[0]!);
  if (!data.columns.includes(nameColumn))
    throw new TemplateError({ file: opts.data, column: nameColumn }, "no such column to name the files by");
  const extension = opts.extension ?? ".cfg";
  const files = new Map<string, string>();
  data.rows.forEach((row, i) => {
    const name = row[nameColumn]!;
    const place = { file: opts.data, row: i + 1, column: nameColumn };
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name))
      throw new TemplateError(place, `"${name}" cannot name a file (letters, digits, _ . - only)`);
    const file = `${name}${extension}`;
    if (files.has(file)) throw new TemplateError(place, `${name} is named twice`);
    files.set(file, renderTemplate(template, row, i + 1, { file: opts.data, row: i + 1 }));
  });
  if (data.rows.length === 0) throw new TemplateError({ file: opts.data }, "has a header but no rows");
  writeAllOrNothing(opts.out, files);
  return [...files.keys()];
}

/**
 * Writes `files` as the folder `out`: into a temporary sibling first, renamed
 * into place at the end. An existing `out` must be empty (it is replaced).
 */
export function writeAllOrNothing(out: string, files: ReadonlyMap<string, string>): void {
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new Error(`${out} exists and is not empty; choose a new folder (nothing was written)`);
  mkdirSync(dirname(out), { recursive: true });
  const temp = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp);
  try {
    for (const [name, text] of files) writeFileSync(join(temp, name), text);
    if (existsSync(out)) rmSync(out, { recursive: true });
    renameSync(temp, out);
  } catch (e) {
    rmSync(temp, { recursive: true, force: true });
    throw e;
  }
}
