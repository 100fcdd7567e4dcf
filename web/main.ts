// The playground page: a terminal on the mini UART, controls, and a live panel
// of what lesson 3 is about. The machine runs in worker.ts.

import { Terminal } from "@xterm/xterm";
import { LESSON_STEPS } from "../kernel/lesson.js";
import { CTRL_INPUT, CTRL_PAUSED, CTRL_STEP, CTRL_FAST, RING_OFFSET, RING_SIZE, type WorkerMessage, type MachineState } from "./protocol.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const term = new Terminal({ cols: 80, rows: 26, convertEol: false, fontSize: 14 });
term.open($("terminal"));
(window as unknown as { rpiTerminal: Terminal }).rpiTerminal = term;

const stepSel = $<HTMLSelectElement>("step");
LESSON_STEPS.forEach((s, i) => {
  const o = document.createElement("option");
  o.value = String(i + 1);
  o.textContent = `${i + 1}. ${s.title}`;
  stepSel.append(o);
});
stepSel.value = String(LESSON_STEPS.length);

let worker: Worker | undefined;
let ctrlBuf: SharedArrayBuffer | undefined;
let ctrl: Int32Array | undefined;
let ring: Uint8Array | undefined;
const exceptions: string[] = [];

function setStatus(s: string): void { $("status").textContent = s; }

function showState(s: MachineState): void {
  const daif = ["D", "A", "I", "F"].filter((_, i) => (s.daif >> (9 - i)) & 1).join("") || "none";
  const rows: [string, string][] = [
    ["EL", `EL${s.el}${s.el ? (s.spsel ? "h" : "t") : ""}`], ["PSTATE.DAIF masked", daif], ["PC", "0x" + s.pc.toString(16)],
    ["VBAR_EL1", s.vbar], ["ELR_EL1", s.elr], ["SPSR_EL1", s.spsr], ["ESR_EL1", s.esr],
    ["TIMER_CLO", String(s.clo)], ["TIMER_C1", String(s.c1)],
    ["IRQ_PENDING_1", "0x" + s.irqPending1.toString(16)], ["ENABLE_IRQS_1", "0x" + s.enableIrqs1.toString(16)],
    ["virtual time", s.seconds.toFixed(3) + " s"], ["instructions", String(s.insns)], ["IRQ handlers returned", String(s.ticks)],
    ["compiled to WebAssembly", `${s.insns ? ((100 * s.compiledInsns) / s.insns).toFixed(1) : "0.0"}% of instructions, ${s.regions} regions`],
  ];
  $("state").innerHTML = rows.map(([k, v]) => `<tr><td>${k}</td><td>${v}</td></tr>`).join("");
}

function onMessage(ev: MessageEvent<WorkerMessage>): void {
  const m = ev.data;
  switch (m.type) {
    case "serial": term.write(new Uint8Array(m.bytes)); break;
    case "state": showState(m.state); break;
    case "exception":
      exceptions.unshift(m.text);
      exceptions.length = Math.min(exceptions.length, 12);
      $("exceptions").textContent = exceptions.join("\n");
      break;
    case "stopped": setStatus(`stopped: ${m.reason}`); break;
    case "error": setStatus(`error: ${m.message}`); term.write(`\r\n[rpi-os: ${m.message}]\r\n`); break;
  }
}

async function start(): Promise<void> {
  worker?.terminate();
  term.reset();
  exceptions.length = 0;
  ctrlBuf = new SharedArrayBuffer(RING_OFFSET + RING_SIZE);
  ctrl = new Int32Array(ctrlBuf, 0, 4);
  ring = new Uint8Array(ctrlBuf, RING_OFFSET, RING_SIZE);
  ctrl[CTRL_FAST] = Number($<HTMLSelectElement>("speed").value);
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = onMessage;
  const file = $<HTMLInputElement>("image").files?.[0];
  if (file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    worker.postMessage({ type: "image", bytes, kernelOld: $<HTMLInputElement>("kernelOld").checked, ctrl: ctrlBuf });
    setStatus(`running ${file.name}`);
  } else {
    worker.postMessage({ type: "lesson", step: Number(stepSel.value), ctrl: ctrlBuf });
    setStatus(`running lesson step ${stepSel.value}`);
  }
  $<HTMLButtonElement>("pause").disabled = false;
}

term.onData((data) => {
  if (!ctrl || !ring) return;
  let w = Atomics.load(ctrl, CTRL_INPUT);
  for (const b of new TextEncoder().encode(data)) { ring[w % RING_SIZE] = b; w++; }
  Atomics.store(ctrl, CTRL_INPUT, w);
  Atomics.notify(ctrl, CTRL_INPUT);
});

$("start").onclick = () => { void start(); };
$("pause").onclick = () => {
  if (!ctrl) return;
  const paused = Atomics.load(ctrl, CTRL_PAUSED) === 1 ? 0 : 1;
  Atomics.store(ctrl, CTRL_PAUSED, paused);
  Atomics.notify(ctrl, CTRL_PAUSED);
  $("pause").textContent = paused ? "Resume" : "Pause";
  $<HTMLButtonElement>("stepBtn").disabled = !paused;
  setStatus(paused ? "paused" : "running");
};
$("stepBtn").onclick = () => {
  if (!ctrl) return;
  Atomics.add(ctrl, CTRL_STEP, 1);
  Atomics.notify(ctrl, CTRL_PAUSED);
};
$("speed").onchange = () => { if (ctrl) Atomics.store(ctrl, CTRL_FAST, Number($<HTMLSelectElement>("speed").value)); };
