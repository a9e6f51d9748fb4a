import { registerFibCases } from "./fib-cases.ts";
import { createFib } from "../../src/dataplane/fib-trie.ts";

registerFibCases("HashFib (TypeScript reference)", createFib);
