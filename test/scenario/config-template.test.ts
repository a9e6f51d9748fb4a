// Configuration templates and `bun run generate` (seed 000: a master config
// and a data file, one configuration per branch).
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { compileTemplate, parseCsv, renderTemplate, TemplateError } from "../../src/scenario/config-template.ts";
import { generateConfigs } from "../../src/scenario/generate-configs.ts";
import { formatIpv4Address, parseIpv4Address } from "../../src/wire/ipv4-address.ts";

// Seed 000's master config with its three variables, as placeholders.
const MASTER = `hostname {{BRANCHOFFICE}}
!
interface GigabitEthernet0/0
 ip address {{IPADDR}} 255.255.255.0
 no shutdown
!
interface Loopback0
 ip address {{ip "10.255.0.0/16" index}} 255.255.255.255
!
interface Serial0/0
 ip address {{ip (subnet "172.16.0.0/16" 30 index) 2}} {{mask 30}}
!
access-list 10 permit {{SUBNET}} {{wildcard 24}}
`;

const DATA = `BRANCHOFFICE,IPADDR,SUBNET
LONDON,192.168.1.1,192.168.1.0
"PARIS",192.168.2.1,192.168.2.0
`;

function render(template: string, vars: Record<string, string>, index = 1): string {
  return renderTemplate(compileTemplate(template, "t.cfg"), vars, index, { file: "d.csv", row: index });
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return (e as Error).message;
  }
  throw new Error("no error");
}

describe("templates", () => {
  test("seed 000's master config filled per branch", () => {
    const data = parseCsv(DATA, "branches.csv");
    expect(data.columns).toEqual(["BRANCHOFFICE", "IPADDR", "SUBNET"]);
    const t = compileTemplate(MASTER, "master.cfg");
    expect([...t.variables].sort()).toEqual(["BRANCHOFFICE", "IPADDR", "SUBNET"]);
    const paris = renderTemplate(t, data.rows[1]!, 2, { file: "branches.csv", row: 2 });
    expect(paris).toContain("hostname PARIS\n");
    expect(paris).toContain(" ip address 192.168.2.1 255.255.255.0\n");
    expect(paris).toContain(" ip address 10.255.0.2 255.255.255.255\n");
    // The second /30 of 172.16.0.0/16 is 172.16.0.8 (index 2), its host .2 is 172.16.0.10.
    expect(paris).toContain(" ip address 172.16.0.10 255.255.255.252\n");
    expect(paris).toContain("access-list 10 permit 192.168.2.0 0.0.0.255\n");
  });

  test("functions", () => {
    expect(render("{{add index 100}} {{sub index 1}} {{mul index 4}} {{div 7 2}} {{mod 7 2}}", {}, 5)).toBe(
      "105 4 20 3 1",
    );
    expect(render('{{pad index 3}} {{mask 0}} {{wildcard 32}} {{ip "10.0.0.254" 3}}', {}, 7)).toBe(
      "007 0.0.0.0 0.0.0.0 10.0.1.1",
    );
    expect(render('{{subnet "10.0.0.0/8" 24 index}}', {}, 256)).toBe("10.1.0.0");
    expect(render("no placeholders\n", {})).toBe("no placeholders\n");
  });

  test("a missing variable, an empty value and a bad expression name the row and column", () => {
    expect(errorOf(() => render("hostname {{HOSTNAME}}", { NAME: "R1" }, 4))).toBe(
      "d.csv, row 4, column HOSTNAME: no value for {{HOSTNAME}}: the data has no such column (t.cfg line 1)",
    );
    expect(errorOf(() => render("x\nip address {{IPADDR}}", { IPADDR: "" }, 2))).toBe(
      "d.csv, row 2, column IPADDR: {{IPADDR}} is empty (t.cfg line 2)",
    );
    expect(errorOf(() => render('{{ip "10.0.0.0/30" N}}', { N: "4" }, 1))).toContain(
      "column N: ip: 4 is outside 10.0.0.0/30 (0..3)",
    );
    expect(errorOf(() => render("{{add index X}}", { X: "ten" }, 1))).toContain(
      'column X: add: "ten" is not a whole number',
    );
    expect(errorOf(() => render('{{subnet "10.0.0.0/24" 16 1}}', {}, 1))).toContain("/16 is larger than");
  });

  test("malformed templates are refused with their line", () => {
    expect(errorOf(() => compileTemplate("a\nb {{HOST\n}}", "m.cfg"))).toBe(
      "m.cfg, line 2: a placeholder opened with {{ is not closed with }} on its line",
    );
    expect(errorOf(() => compileTemplate("{{}}", "m.cfg"))).toBe("m.cfg, line 1: an empty placeholder {{}}");
    expect(errorOf(() => compileTemplate("{{ip 1}}", "m.cfg"))).toContain(
      'ip takes 2 arguments (ip "A.B.C.D[/len]" N)',
    );
    expect(errorOf(() => compileTemplate("{{A B}}", "m.cfg"))).toContain("one value per placeholder");
    expect(errorOf(() => compileTemplate('{{ip "10.0.0.0 1}}', "m.cfg"))).toContain("a string is not closed");
    expect(errorOf(() => compileTemplate("{{add (mul 2 3 4}}", "m.cfg"))).toContain("mul takes 2 arguments");
  });
});

describe("CSV", () => {
  test("quotes hold commas, doubled quotes and newlines; CRLF and blank lines are fine", () => {
    const d = parseCsv('A,B\r\n"x, y","say ""hi"""\r\n\r\n"two\nlines",z\n', "q.csv");
    expect(d.rows).toEqual([
      { A: "x, y", B: 'say "hi"' },
      { A: "two\nlines", B: "z" },
    ]);
  });

  test("bad rows and headers are errors naming file and row", () => {
    expect(errorOf(() => parseCsv("A,B\n1,2\n3\n", "b.csv"))).toBe(
      "b.csv, line 3, row 2: has 1 fields, the header has 2",
    );
    expect(errorOf(() => parseCsv('A\n"open\n', "b.csv"))).toBe("b.csv, line 2: a quoted field is not closed");
    expect(errorOf(() => parseCsv("A,A\n1,2\n", "b.csv"))).toContain("column A appears twice");
    expect(errorOf(() => parseCsv("A,index\n1,2\n", "b.csv"))).toContain('"index" is the row number');
    expect(errorOf(() => parseCsv("", "b.csv"))).toContain("no header line");
    expect(errorOf(() => parseCsv('A\nx"y"\n', "b.csv"))).toContain("a quote may only start a field");
  });

  test("a data file without a header line (seed 000's datafile.txt) takes its column names from --columns", () => {
    const d = parseCsv("LONDON,192.168.1.1,192.168.1.0\nPARIS,192.168.2.1,192.168.2.0\n", "datafile.txt", [
      "BRANCHOFFICE",
      "IPADDR",
      "SUBNET",
    ]);
    expect(d.rows[1]).toEqual({ BRANCHOFFICE: "PARIS", IPADDR: "192.168.2.1", SUBNET: "192.168.2.0" });
    expect(errorOf(() => parseCsv("A,B\nC\n", "datafile.txt", ["X", "Y"]))).toBe(
      "datafile.txt, line 2, row 2: has 1 fields, --columns has 2",
    );
    expect(errorOf(() => parseCsv("a\n", "datafile.txt", ["X", "X"]))).toBe(
      "datafile.txt, column --columns: column X appears twice",
    );
  });

  test("property: any table written as quoted CSV reads back the same", () => {
    const cell = fc.string({ maxLength: 8 }).map((s) => s.trim());
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { maxLength: 6 }),
        (n, table) => {
          const columns = Array.from({ length: n }, (_, i) => `C${i}`);
          const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
          const rows = table.map((r) => r.slice(0, n));
          const text = [columns.join(","), ...rows.map((r) => r.map(quote).join(","))].join("\n");
          const parsed = parseCsv(text, "p.csv");
          expect(parsed.rows).toEqual(rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]!.trim()]))));
        },
      ),
    );
  });

  test("property: {{ip BLOCK index}} is the block's address plus index, inside the block", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 8, max: 30 }), fc.nat(), (a, len, k) => {
        const size = 2 ** (32 - len);
        const n = k % size;
        const block = `${formatIpv4Address(a)}/${len}`;
        const start = Math.floor(a / size) * size;
        expect(parseIpv4Address(render(`{{ip "${block}" N}}`, { N: String(n) }))).toBe(start + n);
        expect(() => render(`{{ip "${block}" N}}`, { N: String(size) })).toThrow(TemplateError);
      }),
    );
  });
});

describe("generate", () => {
  const dir = mkdtempSync(join(tmpdir(), "wanlab-generate-"));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  test("one file per row, named by the first column when there is no HOSTNAME", () => {
    const out = join(dir, "ok");
    const files = generateConfigs({ template: write("m.cfg", MASTER), data: write("b.csv", DATA), out });
    expect(files).toEqual(["LONDON.cfg", "PARIS.cfg"]);
    expect(readdirSync(out).sort()).toEqual(["LONDON.cfg", "PARIS.cfg"]);
    expect(readFileSync(join(out, "LONDON.cfg"), "utf8")).toContain("hostname LONDON\n");
    // An existing non-empty folder is not overwritten.
    expect(() => generateConfigs({ template: join(dir, "m.cfg"), data: join(dir, "b.csv"), out })).toThrow(
      /exists and is not empty/,
    );
  });

  test("an error in any row leaves no output at all", () => {
    const out = join(dir, "bad");
    const data = write("bad.csv", "BRANCHOFFICE,IPADDR,SUBNET\nA,10.0.0.1,10.0.0.0\nB,,10.0.1.0\n");
    expect(() => generateConfigs({ template: join(dir, "m.cfg"), data, out })).toThrow(
      `${data}, row 2, column IPADDR: {{IPADDR}} is empty (${join(dir, "m.cfg")} line 4)`,
    );
    expect(existsSync(out)).toBe(false);
    const missing = write("missing.csv", "BRANCHOFFICE,IPADDR\nA,10.0.0.1\n");
    expect(() => generateConfigs({ template: join(dir, "m.cfg"), data: missing, out })).toThrow(
      "column SUBNET: m.cfg uses {{SUBNET}} but the data has no such column",
    );
    const dup = write("dup.csv", "BRANCHOFFICE,IPADDR,SUBNET\nA,10.0.0.1,10.0.0.0\nA,10.0.0.2,10.0.0.0\n");
    expect(() => generateConfigs({ template: join(dir, "m.cfg"), data: dup, out })).toThrow(
      "row 2, column BRANCHOFFICE: A is named twice",
    );
    const slash = write("slash.csv", "BRANCHOFFICE,IPADDR,SUBNET\n../x,10.0.0.1,10.0.0.0\n");
    expect(() => generateConfigs({ template: join(dir, "m.cfg"), data: slash, out })).toThrow("cannot name a file");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes("partial"))).toEqual([]);
  });

  test("--columns for a headerless data file", () => {
    const out = join(dir, "headerless");
    const data = write("datafile.txt", "LONDON,192.168.1.1,192.168.1.0\n");
    const files = generateConfigs({
      template: join(dir, "m.cfg"),
      data,
      out,
      columns: ["BRANCHOFFICE", "IPADDR", "SUBNET"],
    });
    expect(files).toEqual(["LONDON.cfg"]);
  });

  test("the command line", () => {
    const out = join(dir, "cli");
    const run = Bun.spawnSync(
      ["bun", "src/cli/generate.ts", "--template", join(dir, "m.cfg"), "--data", join(dir, "b.csv"), "--out", out],
      { cwd: join(import.meta.dir, "..", "..") },
    );
    expect(run.stdout.toString()).toBe(`generate: 2 configurations written to ${out}\n`);
    expect(run.exitCode).toBe(0);
    const bad = Bun.spawnSync(["bun", "src/cli/generate.ts", "--template", join(dir, "m.cfg"), "--out", out], {
      cwd: join(import.meta.dir, "..", ".."),
    });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.toString()).toContain("--data is required");
    rmSync(dir, { recursive: true, force: true });
  });
});
