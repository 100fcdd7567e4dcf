// The interrupt lab's page: terminal, lesson steps, the explained state panel,
// the vector table, the interrupt-path timeline, stepping, the code panes and
// the editor. The machine runs in worker.ts; this side only draws what a batch
// brings, once per animation frame, so the page stays responsive whatever the
// guest does.

import { Terminal } from "@xterm/xterm";
import { LESSON_STEPS } from "../kernel/lesson.js";
import { SOURCES } from "lab-sources";
import { stateRows, VECTOR_GROUPS, VECTOR_KINDS, spsrWords } from "./explain.js";
import { LabEditor } from "./editor.js";
import { buildKernelBundle, preloadEsbuild, BundleError } from "./tsbuild.js";
import * as hostMachine from "../host/machine.js";
import * as hostTrace from "../host/trace.js";
import * as asmModule from "../tools/asm/assembler.js";
import * as sysregsModule from "../tools/a64/sysregs.js";
import {
  CTRL_INPUT, CTRL_SEQ, CTRL_FAST, CTRL_FRAMES_DRAWN, CMD_BASE, CMD_SLOTS, CTRL_WORDS, RING_OFFSET, RING_SIZE,
  CMD_RESUME, CMD_STEP, CMD_STEP_EXCEPTION, CMD_STEP_OVER, CMD_BREAK_IRQ, CMD_RUN_TO, CMD_PAUSE,
  type WorkerMessage, type Batch, type TickPath, type Diagnostic,
} from "./protocol.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
const hex = (v: number, w = 0) => "0x" + v.toString(16).padStart(w, "0");

// ---- latency probe (the tests read it): input-event delay and event-loop stalls ----
const probe = {
  inputDelays: [] as number[], maxStall: 0, lastTick: performance.now(),
  reset() { this.inputDelays = []; this.maxStall = 0; this.lastTick = performance.now(); },
};
(window as unknown as { rpiProbe: typeof probe }).rpiProbe = probe;
for (const type of ["keydown", "pointerdown"]) {
  window.addEventListener(type, (e) => { probe.inputDelays.push(performance.now() - e.timeStamp); }, { capture: true });
}
setInterval(() => {
  const now = performance.now();
  probe.maxStall = Math.max(probe.maxStall, now - probe.lastTick - 20);
  probe.lastTick = now;
}, 20);

// ---- terminal ----
const term = new Terminal({ cols: 80, rows: 22, convertEol: false, fontSize: 13, scrollback: 2000 });
term.open($("terminal"));
(window as unknown as { rpiTerminal: Terminal }).rpiTerminal = term;

// ---- lesson steps ----
const stepSel = $<HTMLSelectElement>("step");
LESSON_STEPS.forEach((s, i) => {
  const o = document.createElement("option");
  o.value = String(i + 1);
  o.textContent = `${i + 1}. ${s.title}`;
  stepSel.append(o);
});
const imgOpt = document.createElement("option");
imgOpt.value = "image";
imgOpt.textContent = "your own kernel8.img...";
stepSel.append(imgOpt);
const fileInput = $<HTMLInputElement>("image");

function showLesson(step: number | undefined): void {
  if (!step) {
    $("lessonTitle").textContent = "your kernel8.img";
    $("lessonExplain").textContent = $<HTMLInputElement>("kernelOld").checked
      ? "kernel_old=1: a raw image loads at 0 and every core starts there at EL3; ELF by its program headers."
      : "Raw images load at 0x80000 with core 0 at EL2 (tick kernel_old=1 for 0 and EL3); ELF by its program headers.";
    return;
  }
  const s = LESSON_STEPS[step - 1];
  $("lessonTitle").textContent = `Step ${step} of ${LESSON_STEPS.length}: ${s.title}`;
  $("lessonExplain").textContent = s.explain;
}
stepSel.onchange = () => {
  $("kernelOldLabel").hidden = stepSel.value !== "image";
  if (stepSel.value === "image") fileInput.click(); else showLesson(Number(stepSel.value));
};
fileInput.onchange = () => { if (fileInput.files?.[0]) { stepSel.value = "image"; $("kernelOldLabel").hidden = false; imgOpt.textContent = `your image: ${fileInput.files[0].name}`; void start(); } };

// ---- editor ----
const editable = Object.keys(SOURCES).filter((f) => /^(boot\/[^/]+\.S|kernel\/[^/]+\.ts)$/.test(f)).sort((a, b) => (a.startsWith("boot") === b.startsWith("boot") ? a.localeCompare(b) : a.startsWith("boot") ? -1 : 1));
const fileSel = $<HTMLSelectElement>("file");
for (const f of editable) fileSel.append(Object.assign(document.createElement("option"), { value: f, textContent: f }));
fileSel.value = "boot/entry.S";
const editor = new LabEditor($("editorHost"), SOURCES, "boot/entry.S", () => {
  if (Object.keys(editor.edited()).some((f) => f.endsWith(".ts"))) preloadEsbuild();
  const n = Object.keys(editor.edited()).length;
  $("edited").textContent = n ? `${n} file${n > 1 ? "s" : ""} edited: ${Object.keys(editor.edited()).join(", ")}` : "";
});
(window as unknown as { rpiEditor: LabEditor }).rpiEditor = editor;
fileSel.onchange = () => {
  editor.open(fileSel.value);
  if (fileSel.value.endsWith(".ts")) preloadEsbuild(); // 14 MB of wasm: start before Run is pressed
};

// ---- the worker ----
let worker: Worker | undefined;
let ctrl: Int32Array | undefined;
let ring: Uint8Array | undefined;
let paused = false;
let running = false;
let runStep: number | undefined;
let symbols = new Map<string, number>();
let pending: Batch | undefined;
let skipped = 0;
let lastSkipNote = 0;
let lastBatch: Batch | undefined;
/** Commands sent to this run's worker; a pause counts as the answer to the latest only with this seq. */
let sentSeq = 0;
/** The seq of the newest batch: the commands the worker has taken from the ring. */
let seenSeq = 0;

function setStatus(s: string): void { $("status").textContent = s; }

function setPaused(p: boolean): void {
  paused = p;
  $("pause").textContent = p ? "Resume" : "Pause";
  for (const id of ["stepBtn", "stepOver"]) $<HTMLButtonElement>(id).disabled = !p || !running;
  for (const id of ["stepExc", "breakIrq", "runTo"]) $<HTMLButtonElement>(id).disabled = !running;
  $<HTMLButtonElement>("pause").disabled = !running;
}

/** Queues a command for the worker (protocol.ts: the slot first, then the count). */
function send(cmd: number, arg = 0): void {
  if (!ctrl) return;
  const n = Atomics.load(ctrl, CTRL_SEQ);
  if (n - seenSeq >= CMD_SLOTS) { setStatus("the machine has not taken the last commands yet: try again"); return; }
  const slot = CMD_BASE + 2 * (n % CMD_SLOTS);
  Atomics.store(ctrl, slot, cmd);
  Atomics.store(ctrl, slot + 1, arg | 0);
  Atomics.store(ctrl, CTRL_SEQ, n + 1);
  sentSeq = n + 1;
  Atomics.notify(ctrl, CTRL_SEQ);
  Atomics.notify(ctrl, CTRL_INPUT);
  if (cmd === CMD_PAUSE) { setStatus("pausing..."); return; }
  setPaused(false);
  setStatus(cmd === CMD_RESUME ? "running" : "running to the stop...");
}

/** What an edited kernel imports from outside kernel/: the worker's copies of these modules. */
const HOST_EXPORTS: Record<string, string[]> = Object.fromEntries(Object.entries({
  "host/machine": hostMachine, "host/trace": hostTrace, "tools/asm/assembler": asmModule, "tools/a64/sysregs": sysregsModule,
}).map(([k, v]) => [k, Object.keys(v)]));

async function start(files?: Record<string, string>): Promise<void> {
  files ??= editor.edited();
  let kernel: { js: string; map: string } | undefined;
  const editedTs = Object.keys(files).filter((f) => f.startsWith("kernel/"));
  if (editedTs.length && stepSel.value !== "image") {
    setStatus(`transpiling ${editedTs.join(", ")} (esbuild, wasm)...`);
    try {
      kernel = await buildKernelBundle({ ...SOURCES, ...files }, HOST_EXPORTS);
    } catch (e) {
      if (!(e instanceof BundleError)) { setStatus(`esbuild: ${(e as Error).message}`); return; }
      showDiagnostics(e.errors);
      setStatus("not started: TypeScript errors (see the editor)");
      return;
    }
  }
  worker?.terminate();
  $("intro").style.display = "none";
  term.reset();
  pending = lastBatch = undefined;
  sentSeq = seenSeq = 0;
  hideScreen();
  symbols = new Map(); // the lesson image's symbols say nothing about another image
  $("symbolList").innerHTML = "";
  (window as unknown as { rpiLastBatch?: Batch }).rpiLastBatch = undefined;
  const buf = new SharedArrayBuffer(RING_OFFSET + RING_SIZE);
  ctrl = new Int32Array(buf, 0, CTRL_WORDS);
  ring = new Uint8Array(buf, RING_OFFSET, RING_SIZE);
  ctrl[CTRL_FAST] = Number($<HTMLSelectElement>("speed").value);
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = onMessage;
  worker.onerror = (e) => { setStatus(`worker error: ${e.message}`); };
  $("lessonTrace").textContent = "";
  $("lessonEnd").textContent = "";
  running = true;
  if (stepSel.value === "image") {
    const file = fileInput.files?.[0];
    if (!file) { running = false; setStatus("choose a kernel8.img first"); return; }
    runStep = undefined;
    showLesson(undefined);
    worker.postMessage({ type: "image", bytes: new Uint8Array(await file.arrayBuffer()), kernelOld: $<HTMLInputElement>("kernelOld").checked, ctrl: buf });
    setStatus(`running ${file.name}`);
  } else {
    runStep = Number(stepSel.value);
    showLesson(runStep);
    worker.postMessage({ type: "lesson", step: runStep, ctrl: buf, files, kernel });
    setStatus(`running step ${runStep}${files && Object.keys(files).length ? " (edited)" : ""}`);
  }
  setPaused(false);
  term.focus();
}

function onMessage(ev: MessageEvent<WorkerMessage>): void {
  const m = ev.data;
  switch (m.type) {
    case "batch":
      // Output faster than anyone reads: the worker sends the newest bytes; say how many were
      // skipped at most once a second.
      skipped += m.serialSkipped;
      if (skipped && performance.now() - lastSkipNote > 1000) {
        term.write(`\r\n\x1b[33m[... ${skipped.toLocaleString("en")} bytes skipped: faster than a page can draw ...]\x1b[0m\r\n`);
        skipped = 0;
        lastSkipNote = performance.now();
      }
      if (m.serial.length) term.write(new Uint8Array(m.serial));
      seenSeq = m.seq;
      // A pause made before the worker took the page's latest command is not the answer to it:
      // the machine goes on (it follows that command), so it is drawn as a running batch.
      if (m.paused && m.seq !== sentSeq) m.paused = undefined;
      // Exceptions and state: only the newest batch is drawn, at most every DRAW_MS while
      // running. A pause or the end is drawn at once, status line and panes together from
      // that one batch (the machine's exact state: nothing runs after it).
      pending = m;
      if (m.paused !== undefined || m.stopped !== undefined) draw();
      else if (!drawScheduled) {
        drawScheduled = true;
        setTimeout(() => { drawScheduled = false; requestAnimationFrame(draw); }, Math.max(0, lastDraw + DRAW_MS - performance.now()));
      }
      break;
    case "frame": showFrame(m.frame, m.width, m.height, m.rgba); break;
    case "symbols":
      symbols = new Map(m.symbols);
      $("symbolList").innerHTML = m.symbols.map(([n]) => `<option value="${esc(n)}">`).join("");
      break;
    case "diagnostics": showDiagnostics(m.errors); break;
    case "note": setStatus(m.message); if (m.message.startsWith("not started")) { running = false; setPaused(false); } break;
    case "error": setStatus(`error: ${m.message}`); term.write(`\r\n[rpi-os: ${m.message}]\r\n`); break;
  }
}

/** Sets innerHTML only when it changed (layout is the page's main cost). */
function html(id: string, h: string): boolean {
  const el = $(id);
  if ((el as unknown as { lastHtml?: string }).lastHtml === h) return false;
  (el as unknown as { lastHtml?: string }).lastHtml = h;
  el.innerHTML = h;
  return true;
}
function text(id: string, t: string): void {
  const el = $(id);
  if (el.textContent !== t) el.textContent = t;
}

const DRAW_MS = 200;
const CODE_DRAW_MS = 1000;
let lastDraw = 0;
let lastCodeDraw = -Infinity;
let drawScheduled = false;

function showDiagnostics(errors: Diagnostic[]): void {
  editor.setDiagnostics(errors);
  fileSel.value = editor.file;
  $("diagnostics").textContent = errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`).join("\n");
}

function draw(): void {
  const b = pending;
  pending = undefined;
  if (!b) return;
  lastDraw = performance.now();
  lastBatch = b;
  if (b.paused) { setPaused(true); setStatus(`paused: ${b.paused.why}`); }
  if (b.stopped !== undefined) {
    running = false;
    setPaused(false);
    setStatus(`stopped: ${b.stopped}`);
    $("lessonEnd").textContent = `step ended: ${b.stopped}`;
  }
  (window as unknown as { rpiLastBatch: Batch }).rpiLastBatch = b;
  const sym = (a: number) => { let best: [string, number] | undefined; for (const e of symbols) if (e[1] <= a && a - e[1] < 0x1000 && (!best || e[1] > best[1])) best = e; return best ? (best[1] === a ? best[0] : `${best[0]}+${hex(a - best[1])}`) : undefined; };
  html("state", stateRows(b.state, sym).map((r) =>
    `<tr title="${esc(r.help)}"><td class="k">${esc(r.name)}</td><td class="v">${esc(r.value)}</td><td class="m">${esc(r.meaning)}<span class="help">${esc(r.help)}</span></td></tr>`).join(""));
  drawVectors(b);
  drawTimeline(b);
  text("excCount", b.exceptionCount ? `${b.exceptionCount.toLocaleString("en")} taken or returned from since reset${b.exceptionCount > b.exceptions.length ? `; the last ${b.exceptions.length}:` : ""}` : "none yet");
  text("exceptions", b.exceptions.map((e) => e.text).join("\n"));
  text("storm", b.storm ? `${b.storm.ongoing ? "exception storm, going on" : "exception storm (it ended)"}: ${b.storm.message}${b.storm.hints.map((h) => `\n  hint: ${h}`).join("")}` : "");
  text("lessonTrace", b.trace.join("\n"));
  // The code panes are the page's costliest redraw (new rows, then a scroll that lays them out):
  // while the machine runs they follow it once a second ("pause to follow the code").
  if (b.paused || b.stopped !== undefined || lastDraw - lastCodeDraw >= CODE_DRAW_MS) { lastCodeDraw = lastDraw; drawCode(b); }
}

function drawVectors(b: Batch): void {
  const vbar = b.state.vbar;
  text("vbarNote", `VBAR_EL1 = ${hex(vbar)}${vbar === 0 ? " (reset value: no table installed)" : ""}`);
  let out = "";
  for (let g = 0; g < 4; g++) {
    out += `<div class="grp"><div>${VECTOR_GROUPS[g]}</div>`;
    for (let k = 0; k < 4; k++) {
      const off = g * 0x200 + k * 0x80;
      const name = b.vectorSymbols[g * 4 + k] ?? "";
      const lit = off === b.lastVector ? " lit" : "";
      out += `<div class="slot${lit}${/el1_irq/.test(name) ? " handled" : ""}" data-offset="${hex(off, 3)}" title="${esc(`${VECTOR_KINDS[k]} at VBAR+${hex(off, 3)} = ${hex(vbar + off)}: ${name}`)}">+${hex(off, 3)} ${VECTOR_KINDS[k].slice(0, 4)} ${esc(name)}</div>`;
    }
    out += "</div>";
  }
  html("vectors", out);
}

// ---- timeline ----
const STAGES: [keyof TickPath, string, string][] = [
  ["lineUp", "match", "compare match = line up at the BCM2835 controller = core IRQ input (one cycle: the lines are wires)"],
  ["taken", "taken", "exception taken: vector, ELR, SPSR written, DAIF masked"],
  ["handlerEnter", "handle_irq", "the TypeScript handle_irq starts (after kernel_entry saved x0-x30)"],
  ["csWrite", "CS write", "handle_timer_irq writes CS.M1: the acknowledge"],
  ["lineDown", "line down", "the IRQ line drops"],
  ["handlerExit", "return", "handle_irq returns to el1_irq"],
  ["eret", "ERET", "kernel_exit restores the registers; eret returns to ELR"],
];
const COLORS = ["#ff8a65", "#ffd24a", "#82aaff", "#c792ea", "#7fd18b", "#89ddff", "#f07178"];

let timelineWidth = 500;
new ResizeObserver((e) => { timelineWidth = Math.round(e[0].contentRect.width) || 500; if (lastBatch) drawTimeline(lastBatch); }).observe($("timelineSvg"));

function zoomSpanUs(): number {
  const z = Number($<HTMLInputElement>("zoom").value); // 0..100 -> 0.05 us .. 200 ms, logarithmic
  return 0.05 * Math.pow(10, (z / 100) * Math.log10(4e6));
}
$("zoom").oninput = () => { if (lastBatch) drawTimeline(lastBatch); };
$("timelineSvg").addEventListener("wheel", (e) => {
  e.preventDefault();
  const z = $<HTMLInputElement>("zoom");
  z.value = String(Math.max(0, Math.min(100, Number(z.value) + (e.deltaY > 0 ? 4 : -4))));
  if (lastBatch) drawTimeline(lastBatch);
}, { passive: false });

function drawTimeline(b: Batch): void {
  const svg = $("timelineSvg");
  const width = timelineWidth;
  const span = zoomSpanUs();
  const us = (c: number) => (c / b.cpuHz) * 1e6;
  $("zoomSpan").textContent = `${span < 1000 ? span.toFixed(span < 1 ? 2 : span < 10 ? 1 : 0) + " us" : (span / 1000).toFixed(1) + " ms"} across`;
  const rows = b.timeline.slice(-6);
  const h = 18;
  const height = String(Math.max(40, rows.length * h + 24));
  if (svg.getAttribute("height") !== height) svg.setAttribute("height", height);
  const left = 96;
  let out = "";
  rows.forEach((t, i) => {
    const y = 16 + i * h;
    out += `<text x="2" y="${y + 4}" fill="#99a" font-size="10">${us(t.lineUp).toFixed(1)} us</text><line x1="${left}" y1="${y}" x2="${width}" y2="${y}" stroke="#3c3c48"/>`;
    STAGES.forEach(([key, label], s) => {
      const c = t[key] as number | undefined;
      if (c === undefined) return;
      const dx = us(c - t.lineUp);
      if (dx > span) return;
      const x = left + (dx / span) * (width - left - 4);
      out += `<circle cx="${x.toFixed(1)}" cy="${y}" r="4" fill="${COLORS[s]}"><title>${label}: +${dx.toFixed(3)} us (${us(c).toFixed(3)} us)</title></circle>`;
      if (i === rows.length - 1) out += `<text x="${x.toFixed(1)}" y="${y + (s % 2 ? -7 : 14)}" fill="${COLORS[s]}" font-size="9">${label}</text>`;
    });
  });
  if (!rows.length) out = `<text x="8" y="24" fill="#99a" font-size="12">no interrupt yet</text>`;
  html("timelineSvg", out);
  const t = rows[rows.length - 1];
  html("timelineLegend", t ? STAGES.map(([key, label, help], s) => {
    const c = t[key] as number | undefined;
    return `<span style="color:${COLORS[s]}" title="${esc(help)}">● ${label} ${c === undefined ? "-" : "+" + us(c - t.lineUp).toFixed(3) + " us"}</span>`;
  }).join(" &nbsp; ") + `<br>last tick: ${esc(t.source)}${t.vector !== undefined ? `, vector ${hex(t.vector)}, ELR ${hex(t.elr!)}, SPSR ${hex(t.spsr!, 8)} (${esc(spsrWords(t.spsr!))})` : ""}` : "");
}

// ---- code panes ----
function sourceLines(file: string, mark: number | undefined): string {
  const text = editor.text(file) || SOURCES[file] || "";
  return text.split("\n").map((l, i) => `<div${i + 1 === mark ? ' class="cur"' : ""}><span class="ln">${i + 1}</span>${esc(l) || " "}</div>`).join("");
}

/** Scrolls a code pane to its marked line without reading layout (rows are 15 px, the pane at most 240). */
function scrollToCur(el: HTMLElement): void {
  const rows = el.children;
  for (let i = 0; i < rows.length; i++) {
    if (rows[i].classList.contains("cur")) { el.scrollTop = Math.max(0, i * 15 - 105); return; }
  }
}

function drawCode(b: Batch): void {
  if (html("disasm", b.disasm.map((d) =>
    `${d.symbol ? `<div class="sym">${esc(d.symbol)}:</div>` : ""}<div${d.current ? ' class="cur"' : ""}>${d.current ? "▶" : " "} ${d.addr.toString(16).padStart(5, " ")}  ${esc(d.text)}</div>`).join(""))) scrollToCur($("disasm"));
  const p = b.paused;
  text("pausedAt", p ? `paused (${p.why}) ${p.where === "ts" ? "in TypeScript" : "at a guest instruction"}` : b.stopped !== undefined ? "final state" : "");
  text("codeNote", p ? (p.where === "guest" ? "the PC is in guest code" : "TypeScript is running: the PC is where the guest called it") : "pause to follow the code");
  // The source panes change only when the machine pauses somewhere else.
  const src = p ? p.source : b.pcSource;
  const file = src?.file ?? "boot/entry.S";
  text("srcName", src ? `${file}, line ${src.line}` : runStep === undefined ? "no source: your own image" : file);
  if (html("source", runStep === undefined ? "" : sourceLines(file, src?.line))) scrollToCur($("source"));
  const stack = p?.tsStack ?? [];
  html("tsstack", stack.length ? stack.map((f) => f.name === "IRQ" ? `<span class="irq">⚡ IRQ taken here: the guest vector ran nested</span>` : `${esc(f.name)} <span class="hint">${esc(f.file ?? "")}:${f.line ?? ""}</span>`).join("<br>") : '<span class="hint">no TypeScript kernel frame (guest code runs, or not paused)</span>');
  const top = stack.find((f) => f.file);
  if (html("tssource", top?.file ? sourceLines(top.file, top.line) : "")) scrollToCur($("tssource"));
}

// ---- the guest's framebuffer ----
// Shown when the guest allocates one (mailbox tag 0x40001): beside the terminal, at the top of
// the right column when there are two columns, right after the terminal when there is one.
const screenPanel = $("screenPanel");
const canvas = $<HTMLCanvasElement>("screen");
const screenCtx = canvas.getContext("2d")!;
const twoColumns = matchMedia("(min-width: 1181px)");
function placeScreen(): void {
  if (twoColumns.matches) $("rightCol").prepend(screenPanel);
  else $("terminal").after(screenPanel);
}
twoColumns.addEventListener("change", placeScreen);
placeScreen();
let frame: { n: number; width: number; height: number; rgba: ArrayBuffer } | undefined;
let frameScheduled = false;
function hideScreen(): void { screenPanel.hidden = true; frame = undefined; }
function showFrame(n: number, width: number, height: number, rgba: ArrayBuffer): void {
  frame = { n, width, height, rgba };
  if (!frameScheduled) { frameScheduled = true; requestAnimationFrame(drawFrame); }
}
/** Draws the newest frame and tells the worker, which sends the next one only after that. */
function drawFrame(): void {
  frameScheduled = false;
  const f = frame;
  if (!f || !ctrl) return;
  if (canvas.width !== f.width || canvas.height !== f.height) {
    canvas.width = f.width;
    canvas.height = f.height;
    // Small screens twice their size (pixels stay sharp); never wider than the panel.
    canvas.style.width = `${f.width <= 400 ? f.width * 2 : f.width}px`;
  }
  screenCtx.putImageData(new ImageData(new Uint8ClampedArray(f.rgba), f.width, f.height), 0, 0);
  text("screenNote", `${f.width} x ${f.height}, frame ${f.n}`);
  screenPanel.hidden = false;
  Atomics.store(ctrl, CTRL_FRAMES_DRAWN, f.n);
}

// ---- controls ----
$("begin").onclick = () => { stepSel.value = "1"; void start({}); };
$("start").onclick = () => { void start(); };
$("next").onclick = () => {
  const n = Math.min(LESSON_STEPS.length, (Number(stepSel.value) || 0) + 1);
  stepSel.value = String(n);
  showLesson(n);
  void start();
};
$("runEdited").onclick = () => { if (stepSel.value === "image") stepSel.value = String(LESSON_STEPS.length); void start(editor.edited()); };
$("resetCode").onclick = () => { editor.reset(); $("diagnostics").textContent = ""; };
$("pause").onclick = () => send(paused ? CMD_RESUME : CMD_PAUSE);
$("stepBtn").onclick = () => send(CMD_STEP);
$("stepOver").onclick = () => send(CMD_STEP_OVER);
$("stepExc").onclick = () => send(CMD_STEP_EXCEPTION);
$("breakIrq").onclick = () => send(CMD_BREAK_IRQ);
$("runTo").onclick = () => {
  const name = $<HTMLInputElement>("runToSym").value.trim();
  const addr = symbols.get(name) ?? (/^0x[0-9a-f]+$/i.test(name) ? parseInt(name, 16) : undefined);
  if (addr === undefined) { setStatus(`no symbol '${name}'`); return; }
  send(CMD_RUN_TO, addr);
};
$("speed").onchange = () => {
  if (!ctrl) return;
  Atomics.store(ctrl, CTRL_FAST, Number($<HTMLSelectElement>("speed").value));
  Atomics.notify(ctrl, CTRL_INPUT);
  Atomics.notify(ctrl, CTRL_SEQ);
};
document.addEventListener("keydown", (e) => {
  const t = e.target as HTMLElement;
  if (t.closest("#terminal, .cm-editor, input, select")) return;
  if (e.key === " " && running) { e.preventDefault(); $("pause").click(); }
});

term.onData((data) => {
  if (!ctrl || !ring) return;
  let w = Atomics.load(ctrl, CTRL_INPUT);
  for (const b of new TextEncoder().encode(data)) { ring[w % RING_SIZE] = b; w++; }
  Atomics.store(ctrl, CTRL_INPUT, w);
  Atomics.notify(ctrl, CTRL_INPUT);
});

showLesson(1);
stepSel.value = "1";
setPaused(false);
