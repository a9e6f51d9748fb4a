// The dashboard API as the page calls it (see src/web/api.ts and
// /api/openapi.json): the token from the page's URL goes with every call.

export interface LinkEnd {
  device: string;
  interface: string;
}
export interface LinkInfo {
  name: string;
  kind: "ethernet" | "serial";
  segment: boolean;
  ends: LinkEnd[];
  latencyMs: number;
  bandwidthKbps: number;
}
export interface Topology {
  name: string;
  seed: number;
  devices: { name: string; kind: string; interfaces: string[] }[];
  links: LinkInfo[];
}
export interface Counters {
  name: string;
  status: string;
  protocolUp: boolean;
  inPackets: number;
  inBytes: number;
  outPackets: number;
  outBytes: number;
  drops: number;
  queue: number;
}
export interface LinkState {
  adminUp: boolean;
  ends: (boolean | null)[];
  capture: { running: boolean; packets: number } | null;
}
export interface Update {
  timeNs: number;
  interfaces: Record<string, Counters[]>;
  links: Record<string, LinkState>;
  syslog: string[];
}

/** The token the server printed in the page's URL. */
export const token = new URLSearchParams(location.search).get("token") ?? "";

/** An API path with the token as a query parameter (links, EventSource, WebSocket). */
export function withToken(path: string): string {
  return `${path}${path.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}`;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json();
  if (!res.ok) throw new Error((data as { error?: string }).error ?? res.statusText);
  return data as T;
}

export const api = {
  lab: () => call<{ topology: Topology; state: Update }>("GET", "/api/lab"),
  exec: (device: string, command: string) =>
    call<{ output: string }>("POST", `/api/devices/${encodeURIComponent(device)}/exec`, { command }),
  show: (device: string, cmd: string) =>
    call<{ output: string }>("GET", `/api/devices/${encodeURIComponent(device)}/show?cmd=${encodeURIComponent(cmd)}`),
  setLink: (name: string, state: "up" | "down") =>
    call<{ link: string; state: string }>("POST", `/api/links/${encodeURIComponent(name)}/state`, { state }),
  impairLink: (name: string, impairment: { loss: number; latencyMs: number }) =>
    call<{ link: string; loss: number; latencyMs: number }>(
      "POST",
      `/api/links/${encodeURIComponent(name)}/impairment`,
      impairment,
    ),
  capture: (name: string, action: "start" | "stop") =>
    call<{ running: boolean; packets: number }>("POST", `/api/links/${encodeURIComponent(name)}/capture`, { action }),
  follow: (name: string) =>
    call<{ frames: { timeNs: number; length: number; summary: string }[] }>(
      "GET",
      `/api/links/${encodeURIComponent(name)}/follow`,
    ),
  pcapUrl: (name: string) => withToken(`/api/links/${encodeURIComponent(name)}/capture.pcap`),
  keysUrl: (table: string) => withToken(`/api/keys/${table}`),
  consoleUrl: (device: string) => {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    return `${proto}//${location.host}${withToken(`/api/devices/${encodeURIComponent(device)}/console`)}`;
  },
  events: () => new EventSource(withToken("/api/events")),
};
