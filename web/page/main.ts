// The dashboard page: the topology, a details panel for the device or link
// clicked (interfaces with live packet-rate charts, link down/up, capture
// start/stop/download, console), the device consoles, and the syslog, all fed
// by /api/lab and the /api/events stream.

import "@xterm/xterm/css/xterm.css";
import "uplot/dist/uPlot.min.css";
import "./style.css";
import type cytoscape from "cytoscape";
import { CounterHistory, InterfaceChart } from "./counter-charts.ts";
import { DeviceConsole } from "./device-console.ts";
import { api, type Topology, type Update } from "./lab-api.ts";
import { colourLinks, drawTopology } from "./topology-view.ts";

const SYSLOG_KEEP = 400;

const $ = (id: string) => document.getElementById(id)!;

let topology: Topology;
let state: Update;
let cy: cytoscape.Core;
const history = new CounterHistory();
let charts: InterfaceChart[] = [];
let selected: { kind: "device"; name: string } | { kind: "link"; name: string } | null = null;
const consoles = new Map<string, DeviceConsole>();
/** The show commands a device's panel offers, and where their output goes. */
const DEVICE_SHOWS: [string, string][] = [
  ["Interfaces", "show ip interface brief"],
  ["Routes", "show ip route"],
  ["Crypto sessions", "show crypto session"],
  ["Protocols", "show ip protocols"],
];
/** The follow view: the last frames of the selected link's capture, one line each. */
const followed = document.createElement("pre");
followed.className = "shown";
followed.dataset.testid = "follow";
const shown = document.createElement("pre");
shown.className = "shown";
shown.dataset.testid = "device-show";

/** Runs a show command on the device and puts its output under the buttons. */
function showOn(device: string, cmd: string): void {
  shown.textContent = `${device}#${cmd}\n…`;
  api.show(device, cmd).then(
    (r) => (shown.textContent = `${device}#${cmd}\n${r.output}`),
    (e) => (shown.textContent = `${device}#${cmd}\n% ${(e as Error).message}`),
  );
}

/** `test crash` on the device, as IOS crashes a router on purpose: the supervisor restarts it with its startup configuration. */
function crash(device: string): void {
  shown.textContent = `${device}#test crash\n…`;
  api.exec(device, "test crash").then(
    (r) => (shown.textContent = `${device}#test crash\n${r.output}`),
    (e) => (shown.textContent = `${device}#test crash\n% ${(e as Error).message}`),
  );
}

/** The details panel's part that follows the stream. */
const live = document.createElement("div");

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function button(label: string, testid: string, onclick: () => void): HTMLButtonElement {
  const b = el("button", { textContent: label, onclick });
  b.dataset.testid = testid;
  return b;
}

function openConsole(device: string): void {
  const open = consoles.get(device);
  if (open !== undefined) {
    open.terminal.focus();
    return;
  }
  consoles.set(device, new DeviceConsole($("consoles"), device, (c) => consoles.delete(c.device)));
}

function showError(e: unknown): void {
  $("stream-state").textContent = `error: ${(e as Error).message}`;
}

/** Redraws the details panel for the selection. */
function renderDetails(): void {
  for (const c of charts) c.destroy();
  charts = [];
  const panel = $("details");
  panel.replaceChildren();
  live.replaceChildren();
  shown.textContent = "";
  followed.textContent = "";
  if (selected === null) {
    panel.append(el("p", { className: "hint", textContent: "Click a device or a link." }));
    return;
  }
  if (selected.kind === "device") {
    const name = selected.name;
    const device = topology.devices.find((d) => d.name === name)!;
    panel.append(
      el("h2", { textContent: `${name} (${device.kind})` }),
      button("Open console", "open-console", () => openConsole(name)),
      el("br"),
      ...DEVICE_SHOWS.map(([label, cmd]) =>
        button(label, `show-${label.toLowerCase().replace(/\W+/g, "-")}`, () => showOn(name, cmd)),
      ),
      button("Crash (test crash)", "crash", () => crash(name)),
      shown,
      live,
    );
    renderLive();
    for (const c of state.interfaces[name] ?? []) {
      if (/^(Null|Loopback)/.test(c.name)) continue;
      const box = el(
        "div",
        { className: "chart" },
        el("div", { className: "label", textContent: `${c.name} packets/s` }),
      );
      panel.append(box);
      charts.push(new InterfaceChart(box, history, name, c.name));
    }
    return;
  }
  const name = selected.name;
  const link = topology.links.find((l) => l.name === name)!;
  const about = el("p", {
    textContent: `${link.segment ? "segment" : link.kind}, ${link.bandwidthKbps} kbit/s, ${link.latencyMs} ms`,
  });
  // Fault injection: loss in percent and one-way latency, applied from now on.
  const numberInput = (value: string, max: string, testid: string, title: string): HTMLInputElement => {
    const input = document.createElement("input");
    Object.assign(input, { type: "number", min: "0", max, value, title });
    input.dataset.testid = testid;
    return input;
  };
  const loss = numberInput("0", "99", "link-loss", "loss %");
  const latency = numberInput(String(link.latencyMs), "10000", "link-latency", "ms");
  const impair = () =>
    void api.impairLink(name, { loss: Number(loss.value) / 100, latencyMs: Number(latency.value) }).then((r) => {
      about.textContent = `${link.segment ? "segment" : link.kind}, ${link.bandwidthKbps} kbit/s, ${r.latencyMs} ms, ${Math.round(r.loss * 100)}% loss`;
    }, showError);
  panel.append(
    el("h2", { textContent: `Link ${name}` }),
    about,
    button("Down", "link-down", () => void api.setLink(name, "down").catch(showError)),
    button("Up", "link-up", () => void api.setLink(name, "up").catch(showError)),
    el("h2", { textContent: "Impairment" }),
    el("label", {}, "loss % ", loss),
    el("label", {}, " latency ms ", latency),
    button("Apply", "link-impair", impair),
    el("h2", { textContent: "Capture" }),
    button("Start", "capture-start", () => void api.capture(name, "start").then(captured(name), showError)),
    button("Stop", "capture-stop", () => void api.capture(name, "stop").then(captured(name), showError)),
    live,
    el(
      "p",
      {},
      "Wireshark keys: ",
      el("a", { href: api.keysUrl("esp_sa"), textContent: "esp_sa" }),
      " ",
      el("a", { href: api.keysUrl("ikev1_decryption_table"), textContent: "ikev1_decryption_table" }),
    ),
    followed,
  );
  renderLive();
  for (const e of link.ends.slice(0, 4)) {
    const box = el(
      "div",
      { className: "chart" },
      el("div", { className: "label", textContent: `${e.device} ${e.interface} packets/s` }),
    );
    panel.append(box);
    charts.push(new InterfaceChart(box, history, e.device, e.interface));
  }
}

/** Shows a capture's new state at once, without waiting for the next update. */
function captured(link: string) {
  return (c: { running: boolean; packets: number }) => {
    const s = state.links[link];
    if (s !== undefined) s.capture = { running: c.running, packets: c.packets };
    renderLive();
  };
}

/** The part of the details panel each update redraws: state tables, capture state, chart data. */
function renderLive(): void {
  for (const c of charts) c.update();
  live.replaceChildren();
  if (selected === null) return;
  if (selected.kind === "device") {
    const name = selected.name;
    const table = el("table");
    table.append(
      el(
        "tr",
        {},
        el("th", { textContent: "Interface" }),
        el("th", { textContent: "Status" }),
        el("th", { textContent: "Drops" }),
        el("th", { textContent: "Queue" }),
      ),
    );
    for (const c of state.interfaces[name] ?? []) {
      const row = el(
        "tr",
        {},
        el("td", { textContent: c.name }),
        el("td", {
          textContent: `${c.status}/${c.protocolUp ? "up" : "down"}`,
          className: c.protocolUp ? "up" : "down",
        }),
        el("td", { textContent: String(c.drops) }),
        el("td", { textContent: String(c.queue) }),
      );
      table.append(row);
    }
    live.append(table);
    return;
  }
  const name = selected.name;
  const link = topology.links.find((l) => l.name === name)!;
  const s = state.links[name];
  live.append(
    el("p", { textContent: s?.adminUp === false ? "Administratively down (fault injected)" : "Administratively up" }),
  );
  const cap = s?.capture ?? null;
  live.append(
    el("span", {
      textContent: cap === null ? " not started" : ` ${cap.running ? "running" : "stopped"}, ${cap.packets} frames `,
    }),
  );
  if (cap !== null) {
    const a = el("a", { href: api.pcapUrl(name), textContent: "Download pcap", download: `${name}.pcap` });
    a.dataset.testid = "capture-download";
    live.append(a);
    api
      .follow(name)
      .then(
        (r) => (followed.textContent = r.frames.map((f) => `${(f.timeNs / 1e9).toFixed(6)}  ${f.summary}`).join("\n")),
        showError,
      );
  }
  const table = el("table");
  table.append(
    el(
      "tr",
      {},
      el("th", { textContent: "End" }),
      el("th", { textContent: "Protocol" }),
      el("th", { textContent: "In pkts" }),
      el("th", { textContent: "Out pkts" }),
      el("th", { textContent: "Drops" }),
    ),
  );
  link.ends.forEach((e, i) => {
    const c = state.interfaces[e.device]?.find((x) => x.name === e.interface);
    const up = s?.ends[i];
    table.append(
      el(
        "tr",
        {},
        el("td", { textContent: `${e.device} ${e.interface}` }),
        el("td", {
          textContent: up === null || up === undefined ? "?" : up ? "up" : "down",
          className: up ? "up" : "down",
        }),
        el("td", { textContent: String(c?.inPackets ?? "") }),
        el("td", { textContent: String(c?.outPackets ?? "") }),
        el("td", { textContent: String(c?.drops ?? "") }),
      ),
    );
  });
  live.append(table);
}

function formatTime(ns: number): string {
  const s = Math.floor(ns / 1e9);
  return `t=${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

function applyUpdate(u: Update): void {
  state = u;
  history.feed(u);
  colourLinks(cy, u.links);
  $("lab-time").textContent = formatTime(u.timeNs);
  if (u.syslog.length > 0) {
    const log = $("syslog");
    log.textContent = `${log.textContent}${u.syslog.join("\n")}\n`.split("\n").slice(-SYSLOG_KEEP).join("\n");
    log.scrollTop = log.scrollHeight;
  }
  renderLive();
}

async function main(): Promise<void> {
  const { topology: t, state: s } = await api.lab();
  topology = t;
  state = s;
  $("lab-name").textContent = `${t.name} (seed ${t.seed}, ${t.devices.length} devices)`;
  document.title = `wanlab: ${t.name}`;
  cy = drawTopology($("topology"), t, (what) => {
    selected = what;
    renderDetails();
  });
  applyUpdate(s);
  const events = api.events();
  events.addEventListener("update", (e) => applyUpdate(JSON.parse((e as MessageEvent).data) as Update));
  events.onopen = () => ($("stream-state").textContent = "live");
  events.onerror = () => ($("stream-state").textContent = "stream lost, retrying");
  // For scripts and the browser tests.
  Object.assign(window, { wanlab: { cy, consoles, openConsole, state: () => state } });
}

main().catch(showError);
