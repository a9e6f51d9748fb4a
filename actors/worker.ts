// Entry point of a Bun Worker that hosts one partition of device actors.
import { serveWorker } from "../src/runtime/partition-host.ts";
import { deviceFactories } from "./index.ts";

declare const self: Parameters<typeof serveWorker>[0];
serveWorker(self, deviceFactories);
