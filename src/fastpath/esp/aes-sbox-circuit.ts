// Derives the boolean circuits of the AES S-box and inverse S-box (FIPS-197
// §5.1.1, §5.3.2) that the bitsliced AES in wasm/assembly/_esp-aes.ts runs on
// eight v128 bit planes, and prints them as AssemblyScript
// (wasm/assembly/_esp-aes-sbox.ts is this module's output; a test checks the
// two agree and that both circuits give the S-box tables for all 256 bytes).
//
// The inverse in GF(2^8) is computed in a tower field GF(((2^2)^2)^2):
// GF(4) = GF(2)[w]/(w^2+w+1), GF(16) = GF(4)[z]/(z^2+z+w),
// GF(256) = GF(16)[y]/(y^2+y+lambda). With X = X1 y + X0,
// X^-1 = (X1 y + X1 + X0) * d^-1 where d = lambda X1^2 + X1 X0 + X0^2 lies in
// GF(16), and the same formula one level down inverts d; in GF(4) the inverse
// is the square. The change of basis between the AES polynomial basis and the
// tower (a root beta of x^8+x^4+x^3+x+1 in the tower field; the root and lambda
// are chosen for the fewest XORs) and the affine map are 8x8 bit matrices,
// emitted as XORs with greedy common-subexpression sharing (Paar's method).
// Run `bun src/fastpath/esp/aes-sbox-circuit.ts --write` to regenerate.
import { writeFileSync } from "node:fs";

// ---- field arithmetic on small integers ----

/** GF(4) product, elements (a1 w + a0) as 2-bit integers. */
function gf4Mul(a: number, b: number): number {
  const p = (a >> 1) & (b >> 1), q = a & b & 1, r = ((a >> 1) ^ a) & ((b >> 1) ^ b) & 1;
  return ((r ^ q) << 1) | (p ^ q);
}

/** The GF(16) modulus constant: z^2 = z + N with N = w. */
const N = 2;

/** GF(16) product, elements (A1 z + A0) as 4-bit integers. */
function gf16Mul(a: number, b: number): number {
  const a1 = a >> 2, a0 = a & 3, b1 = b >> 2, b0 = b & 3;
  const p = gf4Mul(a1, b1), q = gf4Mul(a0, b0), r = gf4Mul(a1 ^ a0, b1 ^ b0);
  return ((r ^ q) << 2) | (gf4Mul(p, N) ^ q);
}

/** GF(256) tower product for a given lambda, elements (X1 y + X0) as bytes. */
function towerMul(a: number, b: number, lambda: number): number {
  const a1 = a >> 4, a0 = a & 15, b1 = b >> 4, b0 = b & 15;
  const p = gf16Mul(a1, b1), q = gf16Mul(a0, b0), r = gf16Mul(a1 ^ a0, b1 ^ b0);
  return ((r ^ q) << 4) | (gf16Mul(p, lambda) ^ q);
}

/** AES field product (x^8 + x^4 + x^3 + x + 1). */
export function aesMul(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) {
    if (b & (1 << i)) r ^= a;
    a = (a << 1) ^ (a & 0x80 ? 0x11b : 0);
  }
  return r;
}

/** AES S-box and inverse S-box tables, from the definition (inverse, then the affine map). */
export function sboxTables(): { sbox: number[]; inv: number[] } {
  const sbox = new Array<number>(256).fill(0), inv = new Array<number>(256).fill(0);
  for (let a = 0; a < 256; a++) {
    let x = 0;
    for (let c = 1; c < 256 && a !== 0; c++) if (aesMul(a, c) === 1) x = c;
    const s = affine(x) ^ 0x63;
    sbox[a] = s;
    inv[s] = a;
  }
  return { sbox, inv };
}

const rotl8 = (x: number, n: number) => ((x << n) | (x >> (8 - n))) & 0xff;
/** The linear part of the S-box affine map. */
function affine(b: number): number {
  return b ^ rotl8(b, 1) ^ rotl8(b, 2) ^ rotl8(b, 3) ^ rotl8(b, 4);
}

// ---- linear maps as bit matrices ----

/** An 8x8 (or smaller) GF(2) matrix as rows: bit j of rows[i] says output bit i takes input bit j. */
type Matrix = number[];

function matrixOf(f: (x: number) => number, inBits = 8, outBits = inBits): Matrix {
  const rows = new Array<number>(outBits).fill(0);
  for (let j = 0; j < inBits; j++) {
    const col = f(1 << j) ^ f(0);
    for (let i = 0; i < outBits; i++) if (col & (1 << i)) rows[i]! |= 1 << j;
  }
  return rows;
}

function popcount(x: number): number {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}

// ---- circuits ----

/** A gate on earlier wires; wires 0..7 are the input planes (bit i of every byte). */
export type Gate = { op: "xor"; a: number; b: number } | { op: "and"; a: number; b: number } | { op: "not"; a: number };

/** A straight-line boolean circuit from 8 input wires to 8 output wires. */
export interface Circuit {
  gates: Gate[];
  outputs: number[];
}

class Builder {
  readonly gates: Gate[] = [];
  private next = 8;
  private add(g: Gate): number {
    this.gates.push(g);
    return this.next++;
  }
  xor(a: number, b: number): number { return this.add({ op: "xor", a, b }); }
  and(a: number, b: number): number { return this.add({ op: "and", a, b }); }
  not(a: number): number { return this.add({ op: "not", a }); }

  /** Applies a matrix to wires (inputs[j] is input bit j), sharing pairs of inputs greedily (Paar). */
  linear(m: Matrix, inputs: number[]): number[] {
    const rows = m.map((r) => new Set(inputs.filter((_, j) => r & (1 << j))));
    for (;;) {
      const count = new Map<string, number>();
      let best: [number, number] | null = null, bestCount = 0;
      for (const row of rows) {
        const w = [...row].sort((x, y) => x - y);
        for (let i = 0; i < w.length; i++) {
          for (let k = i + 1; k < w.length; k++) {
            const key = `${w[i]},${w[k]}`;
            const c = (count.get(key) ?? 0) + 1;
            count.set(key, c);
            if (c > bestCount) { bestCount = c; best = [w[i]!, w[k]!]; }
          }
        }
      }
      if (!best) break;
      const [a, b] = best;
      const wire = this.xor(a, b);
      for (const row of rows) {
        if (row.has(a) && row.has(b)) { row.delete(a); row.delete(b); row.add(wire); }
      }
    }
    return rows.map((row) => {
      if (row.size !== 1) throw new Error("linear map with an empty row");
      return [...row][0]!;
    });
  }

  xorVec(a: number[], b: number[]): number[] { return a.map((x, i) => this.xor(x, b[i]!)); }

  /** GF(4) product of [a0, a1] and [b0, b1] (Karatsuba: 3 AND, 4 XOR). */
  gf4Mul(a: number[], b: number[]): number[] {
    const p = this.and(a[1]!, b[1]!), q = this.and(a[0]!, b[0]!);
    const r = this.and(this.xor(a[1]!, a[0]!), this.xor(b[1]!, b[0]!));
    return [this.xor(p, q), this.xor(r, q)];
  }

  /** GF(16) product of 4-wire elements [A0 (2), A1 (2)]. */
  gf16Mul(a: number[], b: number[]): number[] {
    const a0 = a.slice(0, 2), a1 = a.slice(2), b0 = b.slice(0, 2), b1 = b.slice(2);
    const p = this.gf4Mul(a1, b1), q = this.gf4Mul(a0, b0), r = this.gf4Mul(this.xorVec(a1, a0), this.xorVec(b1, b0));
    const pn = this.linear(matrixOf((x) => gf4Mul(x, N), 2), p);
    return [...this.xorVec(pn, q), ...this.xorVec(r, q)];
  }

  /** GF(16) inverse: (A1 z + A1 + A0) * d^-1 with d = N A1^2 + A1 A0 + A0^2, d^-1 = d^2 in GF(4). */
  gf16Inv(a: number[]): number[] {
    const a0 = a.slice(0, 2), a1 = a.slice(2);
    const sq = this.linear(matrixOf((x) => gf4Mul(gf4Mul(x >> 2, x >> 2), N) ^ gf4Mul(x & 3, x & 3), 4, 2), a);
    const d = this.xorVec(sq, this.gf4Mul(a1, a0));
    const dInv = this.linear(matrixOf((x) => gf4Mul(x, x), 2), d);
    return [...this.gf4Mul(this.xorVec(a1, a0), dInv), ...this.gf4Mul(a1, dInv)];
  }

  /** GF(256) tower inverse of 8 wires [X0 (4), X1 (4)]. */
  towerInv(x: number[], lambda: number): number[] {
    const x0 = x.slice(0, 4), x1 = x.slice(4);
    const sq = this.linear(matrixOf((v) => gf16Mul(gf16Mul(v >> 4, v >> 4), lambda) ^ gf16Mul(v & 15, v & 15), 8, 4), x);
    const d = this.xorVec(sq, this.gf16Mul(x1, x0));
    const dInv = this.gf16Inv(d);
    return [...this.gf16Mul(this.xorVec(x1, x0), dInv), ...this.gf16Mul(x1, dInv)];
  }
}

/** One S-box direction: input map (AES byte -> tower), tower inverse, output map, constant. */
function buildCircuit(inMap: (x: number) => number, outMap: (x: number) => number, lambda: number, outConst: number): Circuit {
  const b = new Builder();
  const inputs = [0, 1, 2, 3, 4, 5, 6, 7];
  const inConst = inMap(0);
  let t = b.linear(matrixOf(inMap), inputs);
  t = t.map((w, i) => (inConst & (1 << i) ? b.not(w) : w));
  const inv = b.towerInv(t, lambda);
  let outs = b.linear(matrixOf(outMap), inv);
  const c = outConst ^ outMap(0);
  outs = outs.map((w, i) => (c & (1 << i) ? b.not(w) : w));
  return { gates: b.gates, outputs: outs };
}

/** Evaluates a circuit on one byte (for tests). */
export function evaluate(c: Circuit, x: number): number {
  const v: number[] = [];
  for (let i = 0; i < 8; i++) v.push((x >> i) & 1);
  for (const g of c.gates) v.push(g.op === "xor" ? v[g.a]! ^ v[g.b]! : g.op === "and" ? v[g.a]! & v[g.b]! : v[g.a]! ^ 1);
  return c.outputs.reduce((acc, w, i) => acc | (v[w]! << i), 0);
}

/** The forward and inverse S-box circuits for the cheapest (lambda, beta) found. */
export function sboxCircuits(): { forward: Circuit; inverse: Circuit; lambda: number; beta: number } {
  let best: { forward: Circuit; inverse: Circuit; lambda: number; beta: number } | null = null;
  const cost = (c: Circuit) => c.gates.length;
  for (let lambda = 1; lambda < 16; lambda++) {
    // y^2 + y + lambda must be irreducible over GF(16): lambda is not v^2 + v.
    let reducible = false;
    for (let v = 0; v < 16; v++) if ((gf16Mul(v, v) ^ v) === lambda) reducible = true;
    if (reducible) continue;
    const pow = (b: number, e: number) => { let r = 1; for (let i = 0; i < e; i++) r = towerMul(r, b, lambda); return r; };
    for (let beta = 2; beta < 256; beta++) {
      if ((pow(beta, 8) ^ pow(beta, 4) ^ pow(beta, 3) ^ beta ^ 1) !== 0) continue;
      // phi: AES polynomial basis -> tower, x^i -> beta^i.
      const cols = Array.from({ length: 8 }, (_, i) => pow(beta, i));
      const phi = (a: number) => cols.reduce((acc, col, i) => (a & (1 << i) ? acc ^ col : acc), 0);
      const phiInvTable = new Array<number>(256).fill(0);
      for (let a = 0; a < 256; a++) phiInvTable[phi(a)] = a;
      const phiInv = (t: number) => phiInvTable[t]!;
      const affInvTable = new Array<number>(256).fill(0);
      for (let a = 0; a < 256; a++) affInvTable[affine(a)] = a;
      const forward = buildCircuit(phi, (t) => affine(phiInv(t)), lambda, 0x63);
      const inverse = buildCircuit((s) => phi(affInvTable[s ^ 0x63]!), phiInv, lambda, 0);
      if (!best || cost(forward) + cost(inverse) < cost(best.forward) + cost(best.inverse)) best = { forward, inverse, lambda, beta };
    }
  }
  if (!best) throw new Error("no tower representation found");
  return best;
}

/**
 * Orders the gates to keep few values alive at once (the eight v128 planes
 * and the temporaries must fit the 16 vector registers of x86-64 as well as
 * they can): greedy list scheduling that prefers gates freeing the most operands.
 * Inputs are loaded at their first use and outputs stored as soon as computed.
 */
export function schedule(c: Circuit): Array<{ kind: "load"; wire: number } | { kind: "gate"; index: number } | { kind: "store"; wire: number; plane: number }> {
  const uses = new Map<number, number>();
  const bump = (w: number) => uses.set(w, (uses.get(w) ?? 0) + 1);
  c.gates.forEach((g) => { bump(g.a); if (g.op !== "not") bump(g.b); });
  const outputPlanes = new Map<number, number[]>();
  c.outputs.forEach((w, plane) => outputPlanes.set(w, [...(outputPlanes.get(w) ?? []), plane]));
  const done = new Set<number>();
  const loaded = new Set<number>();
  const steps: ReturnType<typeof schedule> = [];
  const available = (w: number) => w < 8 || done.has(w);
  const pending = new Set(c.gates.map((_, k) => k));
  const emitOutputs = (w: number) => { for (const plane of outputPlanes.get(w) ?? []) steps.push({ kind: "store", wire: w, plane }); };
  for (const w of c.outputs) if (w < 8) { steps.push({ kind: "load", wire: w }); loaded.add(w); emitOutputs(w); }
  while (pending.size > 0) {
    let best = -1, bestScore = -Infinity;
    for (const k of pending) {
      const g = c.gates[k]!;
      const ops = g.op === "not" ? [g.a] : [g.a, g.b];
      if (!ops.every(available)) continue;
      const freed = new Set(ops.filter((w) => uses.get(w) === ops.filter((x) => x === w).length)).size;
      const loads = ops.filter((w) => w < 8 && !loaded.has(w)).length;
      const score = freed - 1 - loads - k * 1e-6;
      if (score > bestScore) { bestScore = score; best = k; }
    }
    const g = c.gates[best]!;
    const ops = g.op === "not" ? [g.a] : [g.a, g.b];
    for (const w of ops) {
      if (w < 8 && !loaded.has(w)) { steps.push({ kind: "load", wire: w }); loaded.add(w); }
    }
    steps.push({ kind: "gate", index: best });
    for (const w of ops) uses.set(w, uses.get(w)! - 1);
    done.add(best + 8);
    pending.delete(best);
    emitOutputs(best + 8);
  }
  return steps;
}

function emitFunction(name: string, doc: string, c: Circuit): string {
  const lines = [`/** ${doc} (${c.gates.filter((g) => g.op === "and").length} AND, ${c.gates.filter((g) => g.op === "xor").length} XOR, ${c.gates.filter((g) => g.op === "not").length} NOT). */`];
  lines.push(`export function ${name}(p: usize): void {`);
  for (const step of schedule(c)) {
    if (step.kind === "load") lines.push(`  const w${step.wire} = v128.load(p, ${16 * step.wire});`);
    else if (step.kind === "store") lines.push(`  v128.store(p, w${step.wire}, ${16 * step.plane});`);
    else {
      const g = c.gates[step.index]!;
      const w = step.index + 8;
      lines.push(g.op === "not" ? `  const w${w} = v128.not(w${g.a});` : `  const w${w} = v128.${g.op}(w${g.a}, w${g.b});`);
    }
  }
  lines.push("}");
  return lines.join("\n");
}

/** The AssemblyScript source of wasm/assembly/_esp-aes-sbox.ts. */
export function emitSboxModule(): string {
  const { forward, inverse, lambda, beta } = sboxCircuits();
  return [
    "// GENERATED by src/fastpath/esp/aes-sbox-circuit.ts (`bun src/fastpath/esp/aes-sbox-circuit.ts --write`); do not edit.",
    "// Bitsliced AES S-box and inverse S-box: eight v128 planes at p (plane i holds bit i of 128 bytes)",
    `// are replaced by the planes of S(x) or S^-1(x). Tower field GF(((2^2)^2)^2) with lambda = ${lambda},`,
    `// beta = 0x${beta.toString(16)} (the tower element the AES generator x maps to); see the generator for the derivation.`,
    "",
    emitFunction("sboxPlanes", "S-box on eight bit planes", forward),
    "",
    emitFunction("invSboxPlanes", "Inverse S-box on eight bit planes", inverse),
    "",
  ].join("\n");
}

if (import.meta.main) {
  const source = emitSboxModule();
  if (process.argv.includes("--write")) {
    writeFileSync(new URL("../../../wasm/assembly/_esp-aes-sbox.ts", import.meta.url), source);
  } else {
    process.stdout.write(source);
  }
  const { forward, inverse, lambda, beta } = sboxCircuits();
  const { sbox, inv } = sboxTables();
  for (let x = 0; x < 256; x++) {
    if (evaluate(forward, x) !== sbox[x] || evaluate(inverse, x) !== inv[x]) throw new Error(`circuit wrong at ${x}`);
  }
  process.stderr.write(`lambda ${lambda} beta 0x${beta.toString(16)}: forward ${forward.gates.length} gates, inverse ${inverse.gates.length} gates; all 256 inputs check\n`);
}
