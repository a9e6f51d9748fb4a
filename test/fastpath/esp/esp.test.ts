// The shared ESP suite against every backend: the TypeScript reference, node:crypto,
// the Wasm batch module, and `auto` with a fixed chooser that splits one batch
// between wasm and native by payload length.
import { espSuite } from "./cases.ts";

const ALL = Array.from({ length: 1501 }, (_, i) => i);
const SOME = [...Array.from({ length: 34 }, (_, i) => i), 63, 64, 65, 100, 255, 256, 257, 1023, 1399, 1400, 1500];
const FEW = [...Array.from({ length: 18 }, (_, i) => i), 100, 255, 1500];

espSuite("wasm", { lengths: ALL, desLengths: ALL, runs: 200 });
espSuite("native", { lengths: ALL, desLengths: ALL, runs: 200 });
espSuite("ref", { lengths: SOME, desLengths: FEW, runs: 25 });
espSuite("auto", {
  lengths: SOME,
  desLengths: SOME,
  runs: 60,
  chooser: (_keys, len) => (len % 2 === 0 ? "wasm" : "native"),
});
