// The dashboard's HTTP API through Hono's request helper (no socket): the
// token on every call, the JSON shapes the page reads, link faults reaching
// the routers' line protocol, captures that decode in tshark, and bad input
// answered with a 4xx JSON error while the lab keeps running.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { API_ROUTES, createApi, MAX_BODY_BYTES } from "../../src/web/api.ts";
import { DashboardLab } from "../../src/web/dashboard-lab.ts";
import { hasTshark, readPcap, tsharkFields } from "../capture/pcap-read.ts";

const TOKEN = "test-token-0123456789abcdef";
let lab: DashboardLab;
let app: OpenAPIHono;

beforeAll(async () => {
  lab = await DashboardLab.start("basic-ping", { wallClock: false, bootNs: 2e9 });
  app = createApi(lab, TOKEN);
});
afterAll(() => lab.close());

const auth = { authorization: `Bearer ${TOKEN}` };
const get = async (path: string, headers: Record<string, string> = auth): Promise<Response> =>
  app.request(path, { headers });
const post = async (path: string, body: unknown, headers: Record<string, string> = auth): Promise<Response> =>
  app.request(path, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("token", () => {
  test("every API call without the token, or with another, is refused with 401 JSON", async () => {
    for (const path of ["/api/lab", "/api/events", "/api/openapi.json", "/api/devices/R1/show?cmd=show+clock"]) {
      for (const headers of [{}, { authorization: "Bearer wrong" }, { authorization: `Bearer ${TOKEN}x` }] as Record<
        string,
        string
      >[]) {
        const res = await get(path, headers);
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({ error: "missing or wrong token" });
      }
    }
    expect((await post("/api/links/R1-R2/state", { state: "down" }, {})).status).toBe(401);
    // The link is still up: the refused call never reached the lab.
    expect((await lab.poll()).links["R1-R2"]!.adminUp).toBe(true);
  });

  test("the token is accepted as a header or as ?token= (EventSource and WebSocket cannot set headers)", async () => {
    expect((await get("/api/lab")).status).toBe(200);
    expect((await get(`/api/lab?token=${TOKEN}`, {})).status).toBe(200);
  });
});

describe("lab", () => {
  test("GET /api/lab: topology and the polled state of every interface", async () => {
    const body = (await (await get("/api/lab")).json()) as {
      topology: { devices: { name: string; interfaces: string[] }[]; links: { name: string; ends: unknown[] }[] };
      state: {
        links: Record<string, { adminUp: boolean; ends: boolean[] }>;
        interfaces: Record<string, { name: string }[]>;
      };
    };
    expect(body.topology.devices.map((d) => d.name)).toEqual(["R1", "R2", "R3"]);
    expect(body.topology.links.map((l) => l.name)).toEqual(["R1-R2", "R2-R3"]);
    expect(body.topology.links[0]!.ends).toEqual([
      { device: "R1", interface: "Serial0/0" },
      { device: "R2", interface: "Serial0/0" },
    ]);
    expect(body.state.links["R1-R2"] as object).toEqual({ adminUp: true, ends: [true, true], capture: null });
    expect(body.state.interfaces.R2!.map((i) => i.name)).toContain("Serial0/1");
  });

  test("GET show runs the command on the device", async () => {
    const res = await get(`/api/devices/r1/show?cmd=${encodeURIComponent("show ip interface brief")}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { device: string; output: string; prompt: string };
    expect(body.device).toBe("R1");
    expect(body.prompt).toBe("R1#");
    expect(body.output).toMatch(/Serial0\/0\s+10\.0\.12\.1\s+YES manual up\s+up/);
  });

  test("POST exec runs a line (ping across the chain)", async () => {
    const res = await post("/api/devices/R1/exec", { command: "ping 10.0.23.3" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { output: string }).output).toContain("Success rate is 100 percent (5/5)");
  });

  test("a link taken down drops both ends' line protocol; up restores it", async () => {
    const down = await post("/api/links/R2-R3/state", { state: "down" });
    expect(down.status).toBe(200);
    expect(await down.json()).toEqual({ link: "R2-R3", state: "down" });
    let s = await lab.poll();
    expect(s.links["R2-R3"]).toMatchObject({ adminUp: false, ends: [false, false] });
    expect(s.interfaces.R3!.find((i) => i.name === "Serial0/0")!.status).toBe("down");
    expect((await post("/api/links/R2-R3/state", { state: "up" })).status).toBe(200);
    s = await lab.poll();
    expect(s.links["R2-R3"]).toMatchObject({ adminUp: true, ends: [true, true] });
  });
});

test("POST /api/links/:name/impairment: latency and loss from now on, shown in the answer; the pings feel them", async () => {
  const slow = await post("/api/links/R1-R2/impairment", { latencyMs: 40 });
  expect(slow.status).toBe(200);
  expect(await slow.json()).toEqual({ link: "R1-R2", loss: 0, latencyMs: 40 });
  const ping = (await (await post("/api/devices/R1/exec", { command: "ping 10.0.12.2 repeat 3" })).json()) as {
    output: string;
  };
  const avg = Number(/min\/avg\/max = \d+\/(\d+)\//.exec(ping.output)?.[1]);
  expect(avg).toBeGreaterThanOrEqual(80);
  const back = await post("/api/links/R1-R2/impairment", { latencyMs: 1, loss: 0 });
  expect(await back.json()).toEqual({ link: "R1-R2", loss: 0, latencyMs: 1 });
});

test("the poll is a console request: it works in configuration mode and stays out of show history", async () => {
  await post("/api/devices/R1/exec", { command: "configure terminal" });
  const s = await lab.poll();
  expect(s.interfaces.R1!.map((i) => i.name)).toEqual(["Serial0/0", "Loopback0"]);
  expect(s.interfaces.R1![0]).toMatchObject({ status: "up", protocolUp: true, queue: 0, drops: 0 });
  expect(s.interfaces.R1![0]!.outPackets).toBeGreaterThanOrEqual(5); // the pings so far
  await post("/api/devices/R1/exec", { command: "end" });
  const history = (await (await get("/api/devices/R1/show?cmd=show+history")).json()) as { output: string };
  expect(history.output).toContain("ping 10.0.23.3");
  expect(history.output).not.toContain("interfaces");
});

test("test crash through exec: the device crashes, the supervisor restarts it, the lab goes on", async () => {
  const before = lab.lab.syslog.length;
  const res = await post("/api/devices/R3/exec", { command: "test crash" });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { output: string }).output).toContain("% R3 crashed while running this command");
  await lab.lab.run(2e9);
  const lines = lab.lab.syslog.slice(before).map((s) => s.text);
  expect(lines.some((l) => l.startsWith("R3: %SYS-5-RESTART: System restarted"))).toBe(true);
  const version = (await (await get("/api/devices/R3/show?cmd=show+version")).json()) as { output: string };
  expect(version.output).toContain("R3 uptime is 0 minutes");
  expect((await lab.poll()).links["R2-R3"]).toMatchObject({ adminUp: true, ends: [true, true] });
});

describe("captures", () => {
  test("start, traffic, stop, download: a Cisco HDLC pcap with the pings, which tshark decodes", async () => {
    expect((await get("/api/links/R1-R2/capture.pcap")).status).toBe(404);
    const start = await post("/api/links/R1-R2/capture", { action: "start" });
    expect(await start.json()).toEqual({ link: "R1-R2", running: true, packets: 0 });
    await post("/api/devices/R1/exec", { command: "ping 10.0.23.3 repeat 3" });
    await lab.lab.run(1.5e9); // captures leave the partitions at epoch ends
    const stop = (await (await post("/api/links/R1-R2/capture", { action: "stop" })).json()) as { packets: number };
    expect(stop.packets).toBeGreaterThanOrEqual(6);
    const res = await get("/api/links/R1-R2/capture.pcap");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.tcpdump.pcap");
    const bytes = new Uint8Array(await res.arrayBuffer());
    const pcap = readPcap(bytes);
    expect(pcap.linktype).toBe(104);
    expect(pcap.packets.length).toBe(stop.packets);
    const follow = (await (await get("/api/links/R1-R2/follow")).json()) as { frames: { summary: string }[] };
    expect(follow.frames.length).toBe(stop.packets);
    expect(follow.frames[0]!.summary).toMatch(/^ICMP echo request 10\.0\.12\.1 > 10\.0\.23\.3 id \d+ seq 0$/);
    expect(follow.frames[1]!.summary).toMatch(/^ICMP echo reply 10\.0\.23\.3 > 10\.0\.12\.1 id \d+ seq 0$/);
    expect((await get("/api/links/R2-R3/follow")).status).toBe(404);
    // Stopped: more traffic is not captured.
    await post("/api/devices/R1/exec", { command: "ping 10.0.23.3 repeat 2" });
    await lab.lab.run(1.5e9);
    expect(
      readPcap(new Uint8Array(await (await get("/api/links/R1-R2/capture.pcap")).arrayBuffer())).packets.length,
    ).toBe(stop.packets);
    if (!hasTshark) return;
    const file = join(mkdtempSync(join(tmpdir(), "wanlab-web-")), "R1-R2.pcap");
    writeFileSync(file, bytes);
    const rows = tsharkFields(file, ["icmp.type", "ip.src", "ip.dst"], { filter: "icmp" });
    expect(rows).toContainEqual({ "icmp.type": "8", "ip.src": "10.0.12.1", "ip.dst": "10.0.23.3" });
    expect(rows).toContainEqual({ "icmp.type": "0", "ip.src": "10.0.23.3", "ip.dst": "10.0.12.1" });
    expect(rows.length).toBe(stop.packets);
  });

  test("key tables are text; an unknown table is 400", async () => {
    const res = await get("/api/keys/esp_sa");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect((await get("/api/keys/passwords")).status).toBe(400);
  });
});

describe("bad input", () => {
  const cases: [string, () => Promise<Response>, number, RegExp][] = [
    ["unknown device", () => get("/api/devices/R9/show?cmd=show+clock"), 404, /no device named 'R9'/],
    ["show without cmd", () => get("/api/devices/R1/show"), 400, /cmd/],
    ["show of a non-show command", () => get("/api/devices/R1/show?cmd=reload"), 400, /only show commands/],
    [
      "a newline in a command",
      () => post("/api/devices/R1/exec", { command: "show clock\nreload" }),
      400,
      /control character/,
    ],
    [
      "a NUL console request",
      () => post("/api/devices/R1/exec", { command: "\u0000status" }),
      400,
      /control character/,
    ],
    ["an over-long command", () => post("/api/devices/R1/exec", { command: "x".repeat(600) }), 400, /command/],
    ["malformed JSON", () => post("/api/devices/R1/exec", "{not json"), 400, /./],
    ["a missing field", () => post("/api/devices/R1/exec", { cmd: "show clock" }), 400, /command/],
    [
      "a huge body",
      () => post("/api/devices/R1/exec", { command: "y".repeat(MAX_BODY_BYTES * 2) }),
      413,
      /larger than/,
    ],
    ["unknown link", () => post("/api/links/R1-R9/state", { state: "down" }), 404, /no link named 'R1-R9'/],
    ["a bad link state", () => post("/api/links/R1-R2/state", { state: "sideways" }), 400, /state/],
    ["a loss of 1", () => post("/api/links/R1-R2/impairment", { loss: 1 }), 400, /loss/],
    ["an empty impairment", () => post("/api/links/R1-R2/impairment", {}), 400, /loss, latencyMs or both/],
    ["impairing an unknown link", () => post("/api/links/R1-R9/impairment", { loss: 0.1 }), 404, /no link named/],
    ["a bad capture action", () => post("/api/links/R1-R2/capture", { action: "pause" }), 400, /action/],
    ["no such route", () => get("/api/nothing"), 404, /no route/],
  ];
  for (const [what, call, status, message] of cases) {
    test(`${what}: ${status} with a JSON error`, async () => {
      const res = await call();
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    });
  }

  test("after all of it the lab still answers", async () => {
    const res = await get("/api/devices/R3/show?cmd=show+ip+route");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { output: string }).output).toContain("10.0.23.0/24 is directly connected");
  });
});

test("the OpenAPI description lists exactly the routes the app serves", async () => {
  const res = await get("/api/openapi.json");
  expect(res.status).toBe(200);
  const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
  const described = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
  expect(described.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  expect(Object.keys(doc.paths["/api/devices/{name}/exec"]!.post as object)).toContain("requestBody");
});

test("GET /api/events streams the state as server-sent events", async () => {
  const res = await get("/api/events");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/event-stream");
  const reader = res.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  expect(first).toStartWith("event: update\ndata: {");
  const update = JSON.parse(first.split("\n")[1]!.slice(6)) as { links: Record<string, unknown> };
  expect(Object.keys(update.links)).toEqual(["R1-R2", "R2-R3"]);
  // A poll pushes the next update to the open stream.
  const next = reader.read();
  await lab.poll();
  expect(new TextDecoder().decode((await next).value)).toStartWith("event: update\n");
  await reader.cancel();
});
