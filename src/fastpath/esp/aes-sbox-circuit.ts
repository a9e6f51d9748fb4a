// Derives the boolean circuits of the AES S-box and inverse S-box (FIPS-197
// §5.1.1, §5.3.2) that the bitsliced AES in wasm/assembly/_esp-aes.ts runs on
// eight v128 bit planes, and prints them as AssemblyScript
// (wasm/assembly/_esp-aes-sbox.ts is this module's output; a test checks the
// two agree and that both circuits give the S-box tables for all 256 bytes).
//
// The inverse in GF(2^8) is computed in a tower field GF(((2^2)^2)^2): each
// level is GF(q^2) = GF(q)[Y]/(Y^2 + Y + c) over the level below, written in a
// polynomial basis (a = a1 Y + a0) or a normal basis (a = a1 Y + a0 Y^q, where
// Y + Y^q = 1 and Y Y^q = c). A product takes three products one level down
// (Karatsuba); an inverse takes the norm d = a a^q, which lies one level down,
// inverts it there and multiplies back (in GF(4) the inverse is the square).
// Every choice of basis per level, of c, and of the root beta of
// x^8 + x^4 + x^3 + x + 1 that the AES byte x maps to, gives a correct circuit;
// the generator builds them all and keeps the one with the fewest gates. The
// change of basis and the affine map are 8x8 bit matrices, emitted as XORs with
// greedy common-subexpression sharing (Paar's method); identical gates are
// built once. Run `bun src/fastpath/esp/aes-sbox-circuit.ts --write` to regenerate.
import { writeFileSync } from "node:fs";

// ---- field arithmetic on small integers ----

/** One level of the tower: GF(2^(2 bits)) over the level below, in a polynomial or normal basis, with Y^2 + Y + c = 0. */
export interface Level {
  /** Bits of an element at this level (2, 4 or 8). */
  bits: number;
  normal: boolean;
  /** The constant c, an element of the level below. */
  c: number;
  sub: Level | null;
}

/** Product at a level; the base field below GF(4) is GF(2). */
function levelMul(l: Level | null, a: number, b: number): number {
  if (l === null) return a & b & 1;
  const h = l.bits >> 1,
    m = (1 << h) - 1;
  const a1 = a >> h,
    a0 = a & m,
    b1 = b >> h,
    b0 = b & m;
  const p = levelMul(l.sub, a1, b1),
    q = levelMul(l.sub, a0, b0),
    r = levelMul(l.sub, a1 ^ a0, b1 ^ b0);
  if (l.normal) {
    const rc = levelMul(l.sub, r, l.c);
    return ((p ^ rc) << h) | (q ^ rc);
  }
  return ((r ^ q) << h) | (levelMul(l.sub, p, l.c) ^ q);
}

/** True when Y^2 + Y + c has no root in the field of `sub` (so the level is a field). */
function irreducible(sub: Level | null, bits: number, c: number): boolean {
  for (let v = 0; v < 1 << bits; v++) if ((levelMul(sub, v, v) ^ v) === c) return false;
  return true;
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
  const sbox = new Array<number>(256).fill(0),
    inv = new Array<number>(256).fill(0);
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

function _popcount(x: number): number {
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
  /** Gates already built, by operation and operands: the same sum or product is built once. */
  private readonly built = new Map<string, number>();
  private add(g: Gate): number {
    const key = g.op === "not" ? `not ${g.a}` : `${g.op} ${Math.min(g.a, g.b)} ${Math.max(g.a, g.b)}`;
    const known = this.built.get(key);
    if (known !== undefined) return known;
    this.gates.push(g);
    this.built.set(key, this.next);
    return this.next++;
  }
  xor(a: number, b: number): number {
    return this.add({ op: "xor", a, b });
  }
  and(a: number, b: number): number {
    return this.add({ op: "and", a, b });
  }
  not(a: number): number {
    return this.add({ op: "not", a });
  }

  /** Applies a matrix to wires (inputs[j] is input bit j), sharing pairs of inputs greedily (Paar). */
  linear(m: Matrix, inputs: number[]): number[] {
    const rows = m.map((r) => new Set(inputs.filter((_, j) => r & (1 << j))));
    for (;;) {
      const count = new Map<string, number>();
      let best: [number, number] | null = null,
        bestCount = 0;
      for (const row of rows) {
        const w = [...row].sort((x, y) => x - y);
        for (let i = 0; i < w.length; i++) {
          for (let k = i + 1; k < w.length; k++) {
            const key = `${w[i]},${w[k]}`;
            const c = (count.get(key) ?? 0) + 1;
            count.set(key, c);
            if (c > bestCount) {
              bestCount = c;
              best = [w[i]!, w[k]!];
            }
          }
        }
      }
      if (!best) break;
      const [a, b] = best;
      const wire = this.xor(a, b);
      for (const row of rows) {
        if (row.has(a) && row.has(b)) {
          row.delete(a);
          row.delete(b);
          row.add(wire);
        }
      }
    }
    return rows.map((row) => {
      if (row.size !== 1) throw new Error("linear map with an empty row");
      return [...row][0]!;
    });
  }

  xorVec(a: number[], b: number[]): number[] {
    return a.map((x, i) => this.xor(x, b[i]!));
  }

  /** Product at a level of two wire vectors (low half first), three products one level down. */
  mul(l: Level | null, a: number[], b: number[]): number[] {
    if (l === null) return [this.and(a[0]!, b[0]!)];
    const h = l.bits >> 1;
    const a0 = a.slice(0, h),
      a1 = a.slice(h),
      b0 = b.slice(0, h),
      b1 = b.slice(h);
    const p = this.mul(l.sub, a1, b1),
      q = this.mul(l.sub, a0, b0),
      r = this.mul(l.sub, this.xorVec(a1, a0), this.xorVec(b1, b0));
    const scale = (x: number[]) =>
      this.linear(
        matrixOf((v) => levelMul(l.sub, v, l.c), h),
        x,
      );
    if (l.normal) {
      const rc = scale(r);
      return [...this.xorVec(q, rc), ...this.xorVec(p, rc)];
    }
    return [...this.xorVec(scale(p), q), ...this.xorVec(r, q)];
  }

  /**
   * Inverse at a level: with the norm d = a a^q (one level down),
   * a^-1 = a^q d^-1. Polynomial basis: d = c a1^2 + a1 a0 + a0^2 and
   * a^q = a1 Y + (a1 + a0); normal basis: d = a1 a0 + c (a1 + a0)^2 and
   * a^q = a0 Y + a1 Y^q. In GF(4) the inverse is the square, a linear map.
   */
  inv(l: Level, a: number[]): number[] {
    if (l.sub === null)
      return this.linear(
        matrixOf((v) => levelMul(l, v, v), l.bits),
        a,
      );
    const sub = l.sub,
      h = l.bits >> 1,
      m = (1 << h) - 1;
    const a0 = a.slice(0, h),
      a1 = a.slice(h);
    const sq = (v: number) => levelMul(sub, v, v);
    const linearPart = l.normal
      ? (v: number) => levelMul(sub, l.c, sq((v >> h) ^ (v & m)))
      : (v: number) => levelMul(sub, l.c, sq(v >> h)) ^ sq(v & m);
    const d = this.xorVec(this.linear(matrixOf(linearPart, l.bits, h), a), this.mul(sub, a1, a0));
    const dInv = this.inv(sub, d);
    if (l.normal) return [...this.mul(sub, a1, dInv), ...this.mul(sub, a0, dInv)];
    return [...this.mul(sub, this.xorVec(a1, a0), dInv), ...this.mul(sub, a1, dInv)];
  }
}

/** One S-box direction: input map (AES byte -> tower), tower inverse, output map, constant. */
function buildCircuit(
  inMap: (x: number) => number,
  outMap: (x: number) => number,
  tower: Level,
  outConst: number,
): Circuit {
  const b = new Builder();
  const inputs = [0, 1, 2, 3, 4, 5, 6, 7];
  const inConst = inMap(0);
  let t = b.linear(matrixOf(inMap), inputs);
  t = t.map((w, i) => (inConst & (1 << i) ? b.not(w) : w));
  const inv = b.inv(tower, t);
  let outs = b.linear(matrixOf(outMap), inv);
  const c = outConst ^ outMap(0);
  outs = outs.map((w, i) => (c & (1 << i) ? b.not(w) : w));
  return { gates: b.gates, outputs: outs };
}

/** Evaluates a circuit on one byte (for tests). */
export function evaluate(c: Circuit, x: number): number {
  const v: number[] = [];
  for (let i = 0; i < 8; i++) v.push((x >> i) & 1);
  for (const g of c.gates)
    v.push(g.op === "xor" ? v[g.a]! ^ v[g.b]! : g.op === "and" ? v[g.a]! & v[g.b]! : v[g.a]! ^ 1);
  return c.outputs.reduce((acc, w, i) => acc | (v[w]! << i), 0);
}

/** Longest path from an input to an output, in gates. */
export function depthOf(c: Circuit): number {
  const d: number[] = [0, 0, 0, 0, 0, 0, 0, 0];
  for (const g of c.gates) d.push(1 + Math.max(d[g.a]!, g.op === "not" ? 0 : d[g.b]!));
  return Math.max(...c.outputs.map((w) => d[w]!));
}

/** Every tower: a basis per level and the constants that make each level a field. */
function towers(): Level[] {
  const out: Level[] = [];
  for (const n4 of [false, true]) {
    const gf4: Level = { bits: 2, normal: n4, c: 1, sub: null };
    for (const n16 of [false, true]) {
      for (let c16 = 1; c16 < 4; c16++) {
        if (!irreducible(gf4, 2, c16)) continue;
        const gf16: Level = { bits: 4, normal: n16, c: c16, sub: gf4 };
        for (const n256 of [false, true]) {
          for (let c256 = 1; c256 < 16; c256++) {
            if (irreducible(gf16, 4, c256)) out.push({ bits: 8, normal: n256, c: c256, sub: gf16 });
          }
        }
      }
    }
  }
  return out;
}

/** A tower's description for the generated file's header. */
function describe(l: Level): string {
  const parts: string[] = [];
  for (let x: Level | null = l; x !== null; x = x.sub)
    parts.push(`GF(2^${x.bits}) ${x.normal ? "normal" : "polynomial"} basis, c = ${x.c}`);
  return parts.reverse().join("; ");
}

/** A chosen circuit with the tower and root it was built on. */
export interface SboxChoice {
  circuit: Circuit;
  tower: Level;
  beta: number;
}

let cached: { forward: SboxChoice; inverse: SboxChoice } | null = null;

/**
 * The forward and inverse S-box circuits, each the one with the fewest gates
 * over every tower and root (searched once). Depth was tried as the first
 * criterion and measured slower in JavaScriptCore, so gates decide.
 */
export function sboxCircuits(): { forward: SboxChoice; inverse: SboxChoice } {
  if (cached) return cached;
  let forward: SboxChoice | null = null,
    inverse: SboxChoice | null = null;
  const better = (c: Circuit, than: SboxChoice | null) => {
    if (!than) return true;
    return (
      c.gates.length < than.circuit.gates.length ||
      (c.gates.length === than.circuit.gates.length && depthOf(c) < depthOf(than.circuit))
    );
  };
  const affInvTable = new Array<number>(256).fill(0);
  for (let a = 0; a < 256; a++) affInvTable[affine(a)] = a;
  for (const tower of towers()) {
    // The multiplicative identity (1 in polynomial bases, Y + Y^q in normal ones, level by level).
    let one = 0;
    for (let v = 1; v < 256 && one === 0; v++) {
      let isOne = true;
      for (let x = 0; x < 256 && isOne; x++) if (levelMul(tower, v, x) !== x) isOne = false;
      if (isOne) one = v;
    }
    for (let beta = 1; beta < 256; beta++) {
      const p = (e: number) => {
        let r = one;
        for (let i = 0; i < e; i++) r = levelMul(tower, r, beta);
        return r;
      };
      if ((p(8) ^ p(4) ^ p(3) ^ p(1) ^ one) !== 0) continue;
      // phi: AES polynomial basis -> tower, x^i -> beta^i.
      const cols = Array.from({ length: 8 }, (_, i) => p(i));
      const phi = (a: number) => cols.reduce((acc, col, i) => (a & (1 << i) ? acc ^ col : acc), 0);
      const phiInvTable = new Array<number>(256).fill(-1);
      for (let a = 0; a < 256; a++) phiInvTable[phi(a)] = a;
      if (phiInvTable.includes(-1)) continue;
      const phiInv = (t: number) => phiInvTable[t]!;
      const fwd = buildCircuit(phi, (t) => affine(phiInv(t)), tower, 0x63);
      const inv = buildCircuit((s) => phi(affInvTable[s ^ 0x63]!), phiInv, tower, 0);
      if (better(fwd, forward)) forward = { circuit: fwd, tower, beta };
      if (better(inv, inverse)) inverse = { circuit: inv, tower, beta };
    }
  }
  if (!forward || !inverse) throw new Error("no tower representation found");
  cached = { forward, inverse };
  return cached;
}

/**
 * Orders the gates to keep few values alive at once (the eight v128 planes
 * and the temporaries must fit the 16 vector registers of x86-64 as well as
 * they can): greedy list scheduling that prefers gates freeing the most operands.
 * Inputs are loaded at their first use and outputs stored as soon as computed.
 */
export function schedule(
  c: Circuit,
): Array<
  { kind: "load"; wire: number } | { kind: "gate"; index: number } | { kind: "store"; wire: number; plane: number }
> {
  const uses = new Map<number, number>();
  const bump = (w: number) => uses.set(w, (uses.get(w) ?? 0) + 1);
  c.gates.forEach((g) => {
    bump(g.a);
    if (g.op !== "not") bump(g.b);
  });
  const outputPlanes = new Map<number, number[]>();
  c.outputs.forEach((w, plane) => outputPlanes.set(w, [...(outputPlanes.get(w) ?? []), plane]));
  const done = new Set<number>();
  const loaded = new Set<number>();
  const steps: ReturnType<typeof schedule> = [];
  const available = (w: number) => w < 8 || done.has(w);
  const pending = new Set(c.gates.map((_, k) => k));
  const emitOutputs = (w: number) => {
    for (const plane of outputPlanes.get(w) ?? []) steps.push({ kind: "store", wire: w, plane });
  };
  for (const w of c.outputs)
    if (w < 8) {
      steps.push({ kind: "load", wire: w });
      loaded.add(w);
      emitOutputs(w);
    }
  while (pending.size > 0) {
    let best = -1,
      bestScore = -Infinity;
    for (const k of pending) {
      const g = c.gates[k]!;
      const ops = g.op === "not" ? [g.a] : [g.a, g.b];
      if (!ops.every(available)) continue;
      const freed = new Set(ops.filter((w) => uses.get(w) === ops.filter((x) => x === w).length)).size;
      const loads = ops.filter((w) => w < 8 && !loaded.has(w)).length;
      const score = freed - 1 - loads - k * 1e-6;
      if (score > bestScore) {
        bestScore = score;
        best = k;
      }
    }
    const g = c.gates[best]!;
    const ops = g.op === "not" ? [g.a] : [g.a, g.b];
    for (const w of ops) {
      if (w < 8 && !loaded.has(w)) {
        steps.push({ kind: "load", wire: w });
        loaded.add(w);
      }
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
  const lines = [
    `/** ${doc} (${c.gates.filter((g) => g.op === "and").length} AND, ${c.gates.filter((g) => g.op === "xor").length} XOR, ${c.gates.filter((g) => g.op === "not").length} NOT). */`,
  ];
  lines.push(`export function ${name}(p: usize): void {`);
  for (const step of schedule(c)) {
    if (step.kind === "load") lines.push(`  const w${step.wire} = v128.load(p, ${16 * step.wire});`);
    else if (step.kind === "store") lines.push(`  v128.store(p, w${step.wire}, ${16 * step.plane});`);
    else {
      const g = c.gates[step.index]!;
      const w = step.index + 8;
      lines.push(
        g.op === "not" ? `  const w${w} = v128.not(w${g.a});` : `  const w${w} = v128.${g.op}(w${g.a}, w${g.b});`,
      );
    }
  }
  lines.push("}");
  return lines.join("\n");
}

/** The AssemblyScript source of wasm/assembly/_esp-aes-sbox.ts. */
export function emitSboxModule(): string {
  const { forward, inverse } = sboxCircuits();
  const about = (c: SboxChoice) =>
    `${describe(c.tower)}; x maps to 0x${c.beta.toString(16)}; depth ${depthOf(c.circuit)}`;
  return [
    "// GENERATED by src/fastpath/esp/aes-sbox-circuit.ts (`bun src/fastpath/esp/aes-sbox-circuit.ts --write`); do not edit.",
    "// Bitsliced AES S-box and inverse S-box: eight v128 planes at p (plane i holds bit i of 128 bytes)",
    "// are replaced by the planes of S(x) or S^-1(x). See the generator for the derivation.",
    `// S-box: ${about(forward)}.`,
    `// Inverse: ${about(inverse)}.`,
    "",
    emitFunction("sboxPlanes", "S-box on eight bit planes", forward.circuit),
    "",
    emitFunction("invSboxPlanes", "Inverse S-box on eight bit planes", inverse.circuit),
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
  const { forward, inverse } = sboxCircuits();
  const { sbox, inv } = sboxTables();
  for (let x = 0; x < 256; x++) {
    if (evaluate(forward.circuit, x) !== sbox[x] || evaluate(inverse.circuit, x) !== inv[x])
      throw new Error(`circuit wrong at ${x}`);
  }
  process.stderr.write(
    `forward ${forward.circuit.gates.length} gates depth ${depthOf(forward.circuit)}, inverse ${inverse.circuit.gates.length} gates depth ${depthOf(inverse.circuit)}; all 256 inputs check\n`,
  );
}
