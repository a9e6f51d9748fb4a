// Serves the dashboard: the page (built into web/build by `bun run
// build:web`, nothing from a CDN), the HTTP API (api.ts) and the device
// consoles as WebSockets, for one lab. Bound to 127.0.0.1 unless told
// otherwise; the random token in the printed URL opens every API call.

import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "bun";
import { createApi, requestToken, tokenMatches } from "./api.ts";
import { type ConsoleSocketData, consoleSocketHandlers } from "./console-socket.ts";
import type { DashboardLab } from "./dashboard-lab.ts";

/** Where the page is built (web/build.ts). */
export const PAGE_DIR = join(import.meta.dir, "..", "..", "web", "build");

const PAGE_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/** A running dashboard. */
export interface Dashboard {
  readonly url: string;
  readonly token: string;
  readonly server: Server<ConsoleSocketData>;
  stop(): void;
}

/** Options of serveDashboard. */
export interface ServeOptions {
  /** Address to bind (default 127.0.0.1). */
  hostname?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** The token (default: 128 random bits). */
  token?: string;
}

const jsonError = (status: number, error: string) => Response.json({ error }, { status });

/** Serves `lab`'s dashboard until stop(). */
export function serveDashboard(lab: DashboardLab, opts: ServeOptions = {}): Dashboard {
  const token = opts.token ?? randomBytes(16).toString("hex");
  const api = createApi(lab, token);
  const hostname = opts.hostname ?? "127.0.0.1";
  const server = Bun.serve<ConsoleSocketData>({
    hostname,
    port: opts.port ?? 0,
    // The event stream stays open between updates.
    idleTimeout: 0,
    websocket: consoleSocketHandlers(lab),
    fetch(req, srv) {
      const path = new URL(req.url).pathname;
      const consoleMatch = /^\/api\/devices\/([^/]+)\/console$/.exec(path);
      if (consoleMatch !== null) {
        if (!tokenMatches(requestToken(req), token)) return jsonError(401, "missing or wrong token");
        const name = decodeURIComponent(consoleMatch[1]!);
        const device = lab.device(name);
        if (device === undefined) return jsonError(404, `no device named '${name}'`);
        if (srv.upgrade(req, { data: { device: device.name } })) return undefined;
        return jsonError(400, "a console is a WebSocket");
      }
      if (path.startsWith("/api/")) return api.fetch(req);
      return servePage(path);
    },
  });
  const shown = hostname.includes(":") ? `[${hostname}]` : hostname;
  return {
    url: `http://${shown}:${server.port}/?token=${token}`,
    token,
    server,
    stop: () => {
      server.stop(true);
    },
  };
}

/** The page's files; `/` is index.html. */
async function servePage(path: string): Promise<Response> {
  const name = path === "/" ? "index.html" : path.slice(1);
  if (!/^[\w.-]+$/.test(name)) return jsonError(404, `no page ${path}`);
  const file = join(PAGE_DIR, name);
  if (!existsSync(file)) {
    if (name === "index.html")
      return new Response("The dashboard page is not built: run `npx bun run build:web`.\n", { status: 503 });
    return jsonError(404, `no page ${path}`);
  }
  const ext = name.slice(name.lastIndexOf("."));
  return new Response(Bun.file(file), { headers: { "content-type": PAGE_TYPES[ext] ?? "application/octet-stream" } });
}
