// The dashboard's HTTP API, as the page uses it and as scripts may: Hono
// routes declared with their zod schemas, so the OpenAPI description
// (/api/openapi.json) is generated from the same declarations that validate
// the requests. Every /api call needs the lab's token (the console is a root
// shell into the lab). Bad input answers 4xx with a JSON error and never
// reaches the lab: unknown devices and links, control characters in a
// command line, oversized bodies.

import { timingSafeEqual } from "node:crypto";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { streamSSE } from "hono/streaming";
import type { DashboardLab, LabUpdate } from "./dashboard-lab.ts";
import { KEY_TABLES } from "./link-captures.ts";

/** Largest request body accepted (a command line and a few fields). */
export const MAX_BODY_BYTES = 16 * 1024;
/** Longest command line accepted. */
export const MAX_COMMAND_LENGTH = 512;

/** True when `given` is the lab's token (constant-time). */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token of a request: `Authorization: Bearer …` or `?token=…` (EventSource and WebSocket cannot set headers). */
export function requestToken(req: Request): string | null {
  const auth = req.headers.get("authorization");
  if (auth?.startsWith("Bearer ")) return auth.slice(7);
  return new URL(req.url).searchParams.get("token");
}

const ErrorBody = z.object({ error: z.string() }).openapi("Error");

/** One printable command line: no newline, NUL (a console request) or other control character. */
const CommandLine = z
  .string()
  .min(1)
  .max(MAX_COMMAND_LENGTH)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "the command line holds a control character");

const DeviceParam = z.object({
  name: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "name", in: "path" }, example: "R1" }),
});
const LinkParam = z.object({
  name: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: "name", in: "path" }, example: "R1-R2" }),
});

const LinkEnd = z.object({ device: z.string(), interface: z.string() });
const Topology = z
  .object({
    name: z.string(),
    seed: z.number(),
    devices: z.array(z.object({ name: z.string(), kind: z.string(), interfaces: z.array(z.string()) })),
    links: z.array(
      z.object({
        name: z.string(),
        kind: z.enum(["ethernet", "serial"]),
        segment: z.boolean(),
        ends: z.array(LinkEnd),
        latencyMs: z.number(),
        bandwidthKbps: z.number(),
      }),
    ),
  })
  .openapi("Topology");
const Counters = z.object({
  name: z.string(),
  status: z.string(),
  protocolUp: z.boolean(),
  inPackets: z.number(),
  inBytes: z.number(),
  outPackets: z.number(),
  outBytes: z.number(),
  drops: z.number(),
  queue: z.number(),
});
const Update = z
  .object({
    timeNs: z.number(),
    interfaces: z.record(z.string(), z.array(Counters)),
    links: z.record(
      z.string(),
      z.object({
        adminUp: z.boolean(),
        ends: z.array(z.boolean().nullable()),
        capture: z.object({ running: z.boolean(), packets: z.number() }).nullable(),
      }),
    ),
    syslog: z.array(z.string()),
  })
  .openapi("Update");
const CommandResult = z.object({ device: z.string(), output: z.string(), prompt: z.string() }).openapi("CommandResult");

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});
const errors = {
  400: json(ErrorBody, "Malformed request"),
  401: json(ErrorBody, "Missing or wrong token"),
  404: json(ErrorBody, "No such device or link"),
};

const labRoute = createRoute({
  method: "get",
  path: "/api/lab",
  summary: "The lab's topology and its latest state",
  responses: { 200: json(z.object({ topology: Topology, state: Update }), "Topology and state"), 401: errors[401] },
});
const showRoute = createRoute({
  method: "get",
  path: "/api/devices/{name}/show",
  summary: "Runs a show command on a device",
  request: {
    params: DeviceParam,
    query: z.object({ cmd: CommandLine.openapi({ example: "show ip interface brief" }) }),
  },
  responses: { 200: json(CommandResult, "What the device printed"), ...errors },
});
const execRoute = createRoute({
  method: "post",
  path: "/api/devices/{name}/exec",
  summary: "Runs a command line on a device's console (in the mode it is in)",
  request: {
    params: DeviceParam,
    body: { content: { "application/json": { schema: z.object({ command: CommandLine }) } }, required: true },
  },
  responses: { 200: json(CommandResult, "What the device printed"), ...errors, 413: json(ErrorBody, "Body too large") },
});
const linkStateRoute = createRoute({
  method: "post",
  path: "/api/links/{name}/state",
  summary: "Brings a link down or up",
  request: {
    params: LinkParam,
    body: { content: { "application/json": { schema: z.object({ state: z.enum(["up", "down"]) }) } }, required: true },
  },
  responses: {
    200: json(z.object({ link: z.string(), state: z.enum(["up", "down"]) }), "The link's new state"),
    ...errors,
    413: json(ErrorBody, "Body too large"),
  },
});
const Impairment = z
  .object({
    loss: z.number().min(0).lt(1).optional().describe("Probability that a frame is lost, in [0, 1)"),
    latencyMs: z.number().min(0).max(10_000).optional().describe("One-way latency in milliseconds"),
  })
  .refine((b) => b.loss !== undefined || b.latencyMs !== undefined, { message: "give loss, latencyMs or both" });
const linkImpairmentRoute = createRoute({
  method: "post",
  path: "/api/links/{name}/impairment",
  summary: "Sets a link's loss and latency from now on (fault injection)",
  request: {
    params: LinkParam,
    body: { content: { "application/json": { schema: Impairment } }, required: true },
  },
  responses: {
    200: json(z.object({ link: z.string(), loss: z.number(), latencyMs: z.number() }), "The link's impairment now"),
    ...errors,
    413: json(ErrorBody, "Body too large"),
  },
});
const captureRoute = createRoute({
  method: "post",
  path: "/api/links/{name}/capture",
  summary: "Starts or stops the capture on a link",
  request: {
    params: LinkParam,
    body: {
      content: { "application/json": { schema: z.object({ action: z.enum(["start", "stop"]) }) } },
      required: true,
    },
  },
  responses: {
    200: json(z.object({ link: z.string(), running: z.boolean(), packets: z.number() }), "The capture's state"),
    ...errors,
    413: json(ErrorBody, "Body too large"),
  },
});
const pcapRoute = createRoute({
  method: "get",
  path: "/api/links/{name}/capture.pcap",
  summary: "The link's capture so far (pcap, nanosecond timestamps)",
  request: { params: LinkParam },
  responses: {
    200: {
      content: { "application/vnd.tcpdump.pcap": { schema: z.string().openapi({ format: "binary" }) } },
      description: "pcap file",
    },
    ...errors,
  },
});
const followRoute = createRoute({
  method: "get",
  path: "/api/links/{name}/follow",
  summary:
    "The last frames of the link's capture, one decoded line each (ICMP echo, ISAKMP MM3, ESP spi, OSPF Hello...)",
  request: { params: LinkParam },
  responses: {
    200: json(
      z
        .object({
          link: z.string(),
          frames: z.array(z.object({ timeNs: z.number(), length: z.number(), summary: z.string() })),
        })
        .openapi("Follow"),
      "Oldest first",
    ),
    ...errors,
  },
});
const keysRoute = createRoute({
  method: "get",
  path: "/api/keys/{table}",
  summary: "A Wireshark key table for the SAs set up so far",
  request: { params: z.object({ table: z.enum(KEY_TABLES).openapi({ param: { name: "table", in: "path" } }) }) },
  responses: { 200: { content: { "text/plain": { schema: z.string() } }, description: "The key table" }, ...errors },
});
const eventsRoute = createRoute({
  method: "get",
  path: "/api/events",
  summary: "Server-sent events: `update` with the interfaces' counters and the links' state, a few per second at most",
  responses: {
    200: { content: { "text/event-stream": { schema: Update } }, description: "Stream of updates" },
    401: errors[401],
  },
});

/** The routes of the HTTP API besides the console WebSocket (see console-socket.ts). */
export const API_ROUTES = [
  labRoute,
  showRoute,
  execRoute,
  linkStateRoute,
  linkImpairmentRoute,
  captureRoute,
  pcapRoute,
  followRoute,
  keysRoute,
  eventsRoute,
];

const notFound = (c: Context, what: string) => c.json({ error: what }, 404);

/** The API app for a lab, requiring `token` on every /api call. */
export function createApi(lab: DashboardLab, token: string): OpenAPIHono {
  const app = new OpenAPIHono({
    // Validation failures: 400 with a one-line reason naming the field.
    defaultHook: (result, c) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue?.path.join(".") || "request";
        return c.json({ error: `${where}: ${issue?.message ?? "invalid"}` }, 400);
      }
    },
  });
  // Hono's own 4xx (a body that is not JSON) keep their status; anything else is the lab's fault: 500.
  app.onError((e, c) =>
    e instanceof HTTPException ? c.json({ error: e.message }, e.status) : c.json({ error: (e as Error).message }, 500),
  );
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.use("/api/*", async (c, next) => {
    if (!tokenMatches(requestToken(c.req.raw), token)) return c.json({ error: "missing or wrong token" }, 401);
    await next();
  });
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json({ error: `body larger than ${MAX_BODY_BYTES} bytes` }, 413),
    }),
  );

  app.openapi(labRoute, (c) =>
    c.json({ topology: lab.topology as z.infer<typeof Topology>, state: lab.state as z.infer<typeof Update> }, 200),
  );

  app.openapi(showRoute, async (c) => {
    const { name } = c.req.valid("param");
    const { cmd } = c.req.valid("query");
    const device = lab.device(name);
    if (device === undefined) return notFound(c, `no device named '${name}'`);
    if (!/^\s*sh(o(w)?)?\s/i.test(cmd))
      return c.json({ error: "cmd: only show commands here (POST exec runs others)" }, 400);
    const out = await lab.exec(device.name, cmd);
    return c.json({ device: device.name, ...out }, 200);
  });

  app.openapi(execRoute, async (c) => {
    const { name } = c.req.valid("param");
    const { command } = c.req.valid("json");
    const device = lab.device(name);
    if (device === undefined) return notFound(c, `no device named '${name}'`);
    const out = await lab.exec(device.name, command);
    return c.json({ device: device.name, ...out }, 200);
  });

  app.openapi(linkStateRoute, async (c) => {
    const { name } = c.req.valid("param");
    const { state } = c.req.valid("json");
    const wire = lab.wire(name);
    if (wire === undefined) return notFound(c, `no link named '${name}'`);
    await lab.setLink(wire, state === "up");
    return c.json({ link: wire.name, state }, 200);
  });

  app.openapi(linkImpairmentRoute, async (c) => {
    const { name } = c.req.valid("param");
    const impairment = c.req.valid("json");
    const wire = lab.wire(name);
    if (wire === undefined) return notFound(c, `no link named '${name}'`);
    try {
      await lab.impairLink(wire, impairment);
    } catch (e) {
      return c.json({ error: (e as Error).message }, 400);
    }
    return c.json({ link: wire.name, loss: wire.loss, latencyMs: wire.latencyNs / 1e6 }, 200);
  });

  app.openapi(captureRoute, (c) => {
    const { name } = c.req.valid("param");
    const { action } = c.req.valid("json");
    const wire = lab.wire(name);
    if (wire === undefined) return notFound(c, `no link named '${name}'`);
    if (action === "start") lab.captures.start(wire);
    else lab.captures.stop(wire);
    lab.requestUpdate();
    const s = lab.captures.state(wire) ?? { running: false, packets: 0 };
    return c.json({ link: wire.name, ...s }, 200);
  });

  app.openapi(pcapRoute, (c) => {
    const { name } = c.req.valid("param");
    const wire = lab.wire(name);
    if (wire === undefined) return notFound(c, `no link named '${name}'`);
    const bytes = lab.captures.pcap(wire);
    if (bytes === null) return notFound(c, `no capture was started on '${wire.name}'`);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/vnd.tcpdump.pcap",
      "content-disposition": `attachment; filename="${wire.name.replace(/[^\w.-]+/g, "_")}.pcap"`,
    });
  });

  app.openapi(followRoute, (c) => {
    const { name } = c.req.valid("param");
    const wire = lab.wire(name);
    if (wire === undefined) return notFound(c, `no link named '${name}'`);
    const frames = lab.captures.follow(wire);
    if (frames === null) return notFound(c, `no capture was started on '${wire.name}'`);
    return c.json({ link: wire.name, frames: [...frames] }, 200);
  });

  app.openapi(keysRoute, (c) => {
    const { table } = c.req.valid("param");
    return c.text(lab.captures.keyTable(table), 200);
  });

  app.openapi(
    eventsRoute,
    (c) =>
      streamSSE(c, async (stream) => {
        let next: LabUpdate | null = lab.state;
        let wake: (() => void) | null = null;
        const unsubscribe = lab.subscribe((u) => {
          next = u;
          wake?.();
        });
        stream.onAbort(() => {
          unsubscribe();
          wake?.();
        });
        try {
          while (!stream.aborted && !stream.closed) {
            if (next !== null) {
              const u: LabUpdate = next;
              next = null;
              await stream.writeSSE({ event: "update", data: JSON.stringify(u) });
            }
            await new Promise<void>((resolve) => (wake = resolve));
            wake = null;
          }
        } finally {
          unsubscribe();
        }
      }) as never,
  );

  app.doc("/api/openapi.json", {
    openapi: "3.0.0",
    info: {
      title: "wanlab dashboard API",
      version: "1",
      description: "Every call needs the lab's token: Authorization: Bearer TOKEN or ?token=TOKEN",
    },
  });
  return app;
}
