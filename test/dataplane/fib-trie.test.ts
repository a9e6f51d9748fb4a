import { createFib } from "../../src/dataplane/fib-trie.ts";
import { registerFibCases } from "./fib-cases.ts";

registerFibCases("HashFib (TypeScript reference)", createFib);
