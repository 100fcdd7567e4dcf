// A GNU-as-compatible assembler and linker for the A64 sources of the tutorial.
//
// assemble() preprocesses each file (preprocess.ts), runs pass 1 per file
// (labels, macros, .rept, conditionals, directives, section offsets, literal
// pools), links the sections in the tutorial's linker-script order
// (.text.boot, .text, .rodata, .data, then bss_begin/.bss/bss_end) at `base`,
// then pass 2 encodes every instruction and data item with all addresses known.
// Undefined symbols named in `hostSymbols` become trampolines `hlt #n; ret`
// that call TypeScript (design note 2).

import { Preprocessor, SourceError, findStringEnd, type FileProvider, type SourceLine } from "./preprocess.js";
import { evaluate, ExprError, symbolsIn } from "./expr.js";
import {
  encodeInstruction, isInstruction, parseRegister, EncodeError,
  type Operand, type ExprOp, type RegOp, type ShiftOp, type MemOp, type LitOp,
} from "../a64/encode.js";
import { SHIFTS, EXTENDS } from "../a64/fields.js";
import { parseSimdOperand, SimdSyntaxError } from "../a64/simd.js";

export { SourceError };

export interface AsmSource { name: string; text: string }

export interface AssembleOptions {
  /** Load address of the first output section (default 0). */
  base?: number;
  includeDirs?: string[];
  /** Preprocessor definitions (`__ASSEMBLER__` is always defined). */
  defines?: Record<string, string>;
  /** Where #include and .include find files (default: the file system). */
  provider?: FileProvider;
  /** Undefined symbols to bind to host trampolines, or a predicate. */
  hostSymbols?: string[] | ((name: string) => boolean);
  /** First HLT immediate given to host trampolines (default 0x100). */
  hostImmBase?: number;
}

export interface SectionInfo { name: string; address: number; size: number; nobits: boolean }

export interface AssembleResult {
  /** The flat image from `base` to the end of the last section with contents (objcopy -O binary). */
  image: Uint8Array;
  base: number;
  /** `_start` if defined, else `base`. */
  entry: number;
  /** Every label and equate, file-local ones included (first definition wins on a clash). */
  symbols: Map<string, number>;
  /** Only the .globl ones. */
  globals: Map<string, number>;
  sections: SectionInfo[];
  /** Host-bound symbol -> HLT immediate of its trampoline. */
  hostCalls: Map<string, number>;
  /** Address of `hlt #0xefff` (nested calls from the host return there), if there are host symbols. */
  hostReturn?: number;
  bssBegin: number;
  bssEnd: number;
  /** Address of each instruction -> the source line it came from (in a macro: the macro body's line). */
  lines?: Map<number, { file: string; line: number }>;
}

export const HOST_RETURN_IMM = 0xefff;

// ---- pass 1 data ----

interface Pos { file: string; line: number; col: number; text: string }

interface Section {
  name: string;
  size: number;
  align: number;
  code: boolean;
  nobits: boolean;
  items: Item[];
  pool: Literal[];
  address: number;
}

interface Literal { text: string; size: 4 | 8 | 16; pos: Pos; offset: number; scope: FileScope }

type Item =
  | { k: "insn"; off: number; mn: string; ops: RawOperand[]; pos: Pos; scope: FileScope; literal?: Literal }
  | { k: "data"; off: number; size: number; exprs: { text: string; col: number }[]; pos: Pos; scope: FileScope }
  | { k: "bytes"; off: number; bytes: Uint8Array };

interface RawOperand { text: string; col: number }

interface Equate { text: string; pos: Pos; dot: { sec: Section; off: number } }

interface FileScope {
  file: string;
  labels: Map<string, { sec: Section; off: number }>;
  equates: Map<string, Equate>;
  globals: Set<string>;
}

interface MacroDef { name: string; params: { name: string; def?: string; req: boolean; vararg: boolean }[]; body: SourceLine[]; pos: Pos }

const NOP = 0xd503201f;

function err(pos: Pos, col: number, reason: string): SourceError {
  return new SourceError(pos.file, pos.line, col, reason);
}

// Bounds on what one assemble() call may do, so hostile or runaway input ends in an error at
// the line that crossed them, not in an exhausted host (GNU as has none of these; real
// sources stay far below them).
/** Statements processed after macro, .rept and .irp expansion. */
export const MAX_STATEMENTS = 2_000_000;
/** Characters of macro and .irp expansion text. */
export const MAX_EXPANSION_CHARS = 16 << 20;
/** Bytes of output, all sections together. */
export const MAX_OUTPUT_BYTES = 64 << 20;
/** Nesting of macro calls, .rept and .irp. */
export const MAX_NESTING = 100;
/** Nesting of .include. */
export const MAX_INCLUDE_DEPTH = 64;
/** Errors collected before giving up on a file. */
const MAX_ERRORS = 1000;

/** A bound crossed: ends the assembly at once (other errors are collected and reported together). */
class LimitError extends SourceError {}

/** Several errors of one assembly, each `file:line:col: error: reason` on its own line, in source order. */
export class AssemblyErrors extends SourceError {
  constructor(readonly errors: SourceError[]) {
    super(errors[0].file, errors[0].line, errors[0].column, errors[0].reason);
    this.message = errors.map((e) => e.message).join("\n");
  }
}

function throwCollected(errors: SourceError[]): void {
  // In source order within each file (pass 2 meets them section by section); files as met.
  const files = [...new Set(errors.map((e) => e.file))];
  errors.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line || a.column - b.column);
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AssemblyErrors(errors);
}

interface Budget { statements: number; chars: number; output: number }

/** Splits at top-level commas (outside [], (), {} and strings), keeping columns. */
function splitOperands(text: string, col0: number): RawOperand[] {
  const out: RawOperand[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '"') { i = findStringEnd(text, i) - 1; continue; }
    if (c === "[" || c === "(" || c === "{") depth++;
    if (c === "]" || c === ")" || c === "}") depth--;
    if ((c === "," && depth === 0) || i === text.length) {
      const piece = text.slice(start, i);
      const lead = piece.length - piece.trimStart().length;
      if (piece.trim().length || i < text.length) out.push({ text: piece.trim(), col: col0 + start + lead });
      start = i + 1;
    }
  }
  return out;
}

/** Splits a line into statements at ';' outside strings. */
function splitStatements(text: string): { text: string; col: number }[] {
  const out: { text: string; col: number }[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '"') { i = findStringEnd(text, i) - 1; continue; }
    if (c === "'") {
      // A character constant: 'c', '\c' or GNU as's unterminated 'c.
      let j = i + 1;
      if (text[j] === "\\") j++;
      j++;
      if (text[j] === "'") j++;
      i = Math.min(j, text.length) - 1;
      continue;
    }
    if (c === ";" || i === text.length) { out.push({ text: text.slice(start, i), col: start + 1 }); start = i + 1; }
  }
  return out;
}

/**
 * Macro arguments: separated by commas or blanks (outside quotes and brackets);
 * a quoted argument loses its quotes, as in GNU as.
 */
function splitMacroArgs(text: string, col0: number): RawOperand[] {
  const out: RawOperand[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /[\s,]/.test(text[i])) i++;
    if (i >= text.length) break;
    const start = i;
    if (text[i] === '"') {
      const end = findStringEnd(text, i);
      out.push({ text: text.slice(i + 1, end - 1), col: col0 + start });
      i = end;
      continue;
    }
    let depth = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === "(" || c === "[") depth++;
      if (c === ")" || c === "]") depth--;
      if (depth === 0 && (c === "," || /\s/.test(c))) {
        // "a + b" stays one argument: blanks around an operator do not split.
        const rest = text.slice(i).trimStart();
        const prev = text.slice(start, i).trimEnd();
        if (c !== "," && (/^[-+*\/|&^<>]/.test(rest) || /[-+*\/|&^<>]$/.test(prev))) { i++; continue; }
        break;
      }
      i++;
    }
    out.push({ text: text.slice(start, i).trim(), col: col0 + start });
  }
  return out;
}

function parseString(text: string, pos: Pos, col: number): Uint8Array {
  const t = text.trim();
  if (!t.startsWith('"') || findStringEnd(t, 0) !== t.length || !t.endsWith('"') || t.length < 2) throw err(pos, col, `expected a string in double quotes`);
  const bytes: number[] = [];
  for (let i = 1; i < t.length - 1; i++) {
    const c = t[i];
    if (c !== "\\") { bytes.push(...new TextEncoder().encode(c)); continue; }
    const e = t[++i];
    const map: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, a: 7, v: 11, "\\": 92, '"': 34, "'": 39, e: 27 };
    if (e in map) bytes.push(map[e]);
    else if (e === "x") { const m = /^[0-9a-fA-F]{1,2}/.exec(t.slice(i + 1))!; bytes.push(parseInt(m[0], 16)); i += m[0].length; }
    else if (/[0-7]/.test(e)) { const m = /^[0-7]{1,3}/.exec(t.slice(i))!; bytes.push(parseInt(m[0], 8) & 0xff); i += m[0].length - 1; }
    else bytes.push(e.charCodeAt(0));
  }
  return new Uint8Array(bytes);
}

class Pass1 {
  readonly sections = new Map<string, Section>();
  readonly scope: FileScope;
  private cur: Section;
  private sectionStack: Section[] = [];
  private macros: Map<string, MacroDef>;
  private localCounts = new Map<string, number>();
  private uniq = 0;
  private includeDepth = 0;
  /** Errors so far (assembly goes on after each, as GNU as does). */
  readonly errors: SourceError[] = [];
  private readonly seenErrors = new Set<string>();

  constructor(file: string, macros: Map<string, MacroDef>, private readonly pre: Preprocessor, private readonly provider: FileProvider, private readonly includeDirs: string[],
    private readonly budget: Budget = { statements: 0, chars: 0, output: 0 }) {
    this.scope = { file, labels: new Map(), equates: new Map(), globals: new Set() };
    this.macros = macros;
    this.cur = this.section(".text");
  }

  section(name: string, flags?: string): Section {
    let s = this.sections.get(name);
    if (!s) {
      const code = flags !== undefined ? flags.includes("x") : name === ".text" || name.startsWith(".text.") || name === ".init";
      const nobits = name === ".bss" || name.startsWith(".bss.") || name === ".sbss";
      s = { name, size: 0, align: 1, code, nobits, items: [], pool: [], address: 0 };
      this.sections.set(name, s);
    }
    return s;
  }

  run(lines: SourceLine[]): void {
    this.lines(lines, 0);
    for (const s of this.sections.values()) this.flushPool(s);
  }

  /** Processes lines; returns at the end. Handles block directives by scanning ahead. */
  /** `repeat`: how many times the enclosing .rept/.irp blocks will run these lines (for the bound). */
  private lines(lines: SourceLine[], depth: number, repeat = 1): void {
    if (depth > MAX_NESTING) throw new LimitError(lines[0]?.file ?? "", lines[0]?.line ?? 1, 1, `macro or .rept expansion nested too deeply (${MAX_NESTING} levels): does a macro call itself without end?`);
    const condStack: [boolean, boolean][] = [];
    const active = () => condStack.every((c) => c[0]);
    for (let i = 0; i < lines.length; i++) {
      const src = lines[i];
      for (const st of splitStatements(src.text)) {
        if (++this.budget.statements > MAX_STATEMENTS) {
          throw new LimitError(src.file, src.line, st.col, `more than ${MAX_STATEMENTS.toLocaleString("en")} statements after macro and .rept expansion`);
        }
        try {
          const skip = this.statement(lines, i, src, st, depth, condStack, active, repeat);
          if (skip !== undefined) { i = skip; break; }
        } catch (e) {
          if (!(e instanceof SourceError) || e instanceof LimitError) throw e;
          this.report(e);
        }
      }
    }
    if (condStack.length) this.report(err({ ...lines[lines.length - 1], col: 1 }, 1, "unterminated .if (missing .endif)"));
  }

  /** Records an error and goes on; too many end the assembly. */
  report(e: SourceError): void {
    if (this.seenErrors.has(e.message)) return;
    this.seenErrors.add(e.message);
    this.errors.push(e);
    if (this.errors.length >= MAX_ERRORS) throw new LimitError(e.file, e.line, e.column, `too many errors (${MAX_ERRORS}), giving up`);
  }

  /** Counts bytes of output against the bound before they are allocated. */
  private grow(n: number, pos: Pos, col: number): void {
    this.budget.output += n;
    if (this.budget.output > MAX_OUTPUT_BYTES) throw new LimitError(pos.file, pos.line, col, `output larger than ${MAX_OUTPUT_BYTES >> 20} MiB`);
  }

  /** Counts characters of expansion text against the bound. */
  private expansion(lines: SourceLine[], pos: Pos, col: number): SourceLine[] {
    for (const l of lines) this.budget.chars += l.text.length;
    if (this.budget.chars > MAX_EXPANSION_CHARS) throw new LimitError(pos.file, pos.line, col, `macro and .irp expansions longer than ${MAX_EXPANSION_CHARS >> 20} MiB of text`);
    return lines;
  }

  /** One statement; returns the index of the last line a block directive swallowed, if it did. */
  private statement(lines: SourceLine[], i: number, src: SourceLine, st: { text: string; col: number }, depth: number,
    condStack: [boolean, boolean][], active: () => boolean, repeat: number): number | undefined {
    const pos: Pos = { file: src.file, line: src.line, col: st.col, text: src.text };
    let text = st.text;
    let col = st.col;
    // Labels first: GNU as takes them before any statement, a block directive too (`2: .rept 4`).
    // They are defined where the statement is assembled (not inside a skipped .if block).
    const labels: [string, number][] = [];
    for (;;) {
      const lm = /^(\s*)([A-Za-z_.$][A-Za-z0-9_.$]*|[0-9]+)\s*:(?!:)/.exec(text);
      if (!lm) break;
      labels.push([lm[2], col + lm[1].length]);
      col += lm[0].length;
      text = text.slice(lm[0].length);
    }
    if (active()) for (const [name, at] of labels) this.defineLabel(name, pos, at);
    const dm = /^\s*(\.[A-Za-z_]+)\b(.*)$/.exec(text);
    const dname = dm ? dm[1].toLowerCase() : "";
    // Conditional assembly first: it applies even when inactive.
    if (dname === ".if" || dname === ".ifdef" || dname === ".ifndef" || dname === ".ifne" || dname === ".ifeq") {
      let take = false;
      if (active()) {
        const arg = dm![2].trim();
        if (dname === ".ifdef" || dname === ".ifndef") {
          const has = this.scope.labels.has(arg) || this.scope.equates.has(arg);
          take = dname === ".ifdef" ? has : !has;
        } else {
          // A bad condition is reported and its block skipped, so the .else/.endif still pair up.
          try { take = (dname === ".ifeq") === (this.absolute(arg, pos, col + text.indexOf(arg)) === 0n); }
          catch (e) { condStack.push([false, true]); throw e; }
        }
      }
      condStack.push([take, take]);
      return undefined;
    }
    if (dname === ".else") {
      const top = condStack[condStack.length - 1];
      if (!top) throw err(pos, col, ".else without .if");
      const parent = condStack.slice(0, -1).every((c) => c[0]);
      top[0] = parent && !top[1];
      return undefined;
    }
    if (dname === ".endif") {
      if (!condStack.pop()) throw err(pos, col, ".endif without .if");
      return undefined;
    }
    if (!active()) return undefined;
    if (dm) pos.col = col + text.indexOf(dm[1]);

    // Block directives that swallow following lines.
    if (dname === ".macro") {
      const end = this.findEnd(lines, i, ".macro", ".endm", pos);
      this.defineMacro(dm![2], lines.slice(i + 1, end), pos, col + dm![1].length);
      return end;
    }
    if (dname === ".rept") {
      const end = this.findEnd(lines, i, ".rept", ".endr", pos);
      const n = Number(this.absolute(dm![2].trim(), pos, col + dm![1].length + 1));
      if (n < 0 || n > 1_000_000) throw err(pos, col, `.rept count ${n} is out of range`);
      const body = lines.slice(i + 1, end);
      if (this.budget.statements + repeat * n * body.length > MAX_STATEMENTS) {
        throw new LimitError(pos.file, pos.line, pos.col, `.rept ${n} of ${body.length} line${body.length === 1 ? "" : "s"}${repeat > 1 ? `, itself repeated ${repeat} times,` : ""} makes more than ${MAX_STATEMENTS.toLocaleString("en")} statements`);
      }
      for (let k = 0; k < n; k++) this.lines(body, depth + 1, repeat * n);
      return end;
    }
    if (dname === ".irp") {
      const end = this.findEnd(lines, i, ".irp", ".endr", pos);
      const [param, ...vals] = splitOperands(dm![2], 0).map((o) => o.text);
      const body = lines.slice(i + 1, end);
      for (const v of vals) this.lines(this.expansion(body.map((l) => ({ ...l, text: l.text.split(`\\${param.trim()}`).join(v) })), pos, pos.col), depth + 1, repeat * vals.length);
      return end;
    }
    if (dname === ".endm" || dname === ".endr") throw err(pos, col, `${dname} without a matching ${dname === ".endm" ? ".macro" : ".rept"}`);

    const trimmed = text.trim();
    if (!trimmed) return undefined;
    col += text.length - text.trimStart().length;
    text = trimmed;
    // name = expr
    const eq = /^([A-Za-z_.$][A-Za-z0-9_.$]*)\s*=\s*(.+)$/.exec(text);
    if (eq && !eq[1].startsWith(".") ) { this.defineEquate(eq[1], eq[2], pos, col); return undefined; }
    const wm = /^(\S+)\s*(.*)$/.exec(text)!;
    const word = wm[1];
    const restCol = col + text.indexOf(wm[2], word.length);
    const rest = wm[2];
    const lower = word.toLowerCase();
    const macro = this.macros.get(word) ?? this.macros.get(lower);
    if (macro) { this.expandMacro(macro, rest, pos, restCol, depth, repeat); return undefined; }
    if (lower.startsWith(".")) { this.directive(lower, rest, pos, col, restCol); return undefined; }
    if (isInstruction(lower)) { this.instruction(lower, rest, pos, col, restCol); return undefined; }
    throw err(pos, col, `unknown instruction or directive '${word}'`);
  }

  private findEnd(lines: SourceLine[], start: number, open: string, close: string, pos: Pos): number {
    let depth = 0;
    const opens = open === ".rept" ? [".rept", ".irp"] : [open];
    for (let j = start + 1; j < lines.length; j++) {
      const w = /^\s*(?:[A-Za-z_.$][\w.$]*:\s*)*(\.[A-Za-z_]+)\b/.exec(lines[j].text)?.[1]?.toLowerCase();
      if (w && opens.includes(w)) depth++;
      if (w === close) { if (depth === 0) return j; depth--; }
    }
    throw err(pos, pos.col, `unterminated ${open} (missing ${close})`);
  }

  private defineMacro(header: string, body: SourceLine[], pos: Pos, col: number): void {
    const h = header.trim();
    const m = /^([A-Za-z_.$][\w.$]*)\s*,?\s*(.*)$/.exec(h);
    if (!m) throw err(pos, col, ".macro needs a name");
    const params = m[2].trim() ? m[2].split(/\s*,\s*|\s+(?=[A-Za-z_])/).filter((p) => p.trim()).map((p) => {
      const [nameQ, def] = p.split("=").map((s) => s.trim());
      const [name, qual] = nameQ.split(":");
      return { name, def, req: qual === "req", vararg: qual === "vararg" };
    }) : [];
    this.macros.set(m[1], { name: m[1], params, body, pos });
  }

  private expandMacro(macro: MacroDef, argText: string, pos: Pos, col: number, depth: number, repeat: number): void {
    const args = splitMacroArgs(argText, col);
    const values = new Map<string, string>();
    macro.params.forEach((p, idx) => {
      let v: string | undefined;
      if (p.vararg) v = args.slice(idx).map((a) => a.text).join(", ");
      else v = args[idx]?.text;
      if ((v === undefined || v === "") && p.def !== undefined) v = p.def;
      if ((v === undefined || v === "") && p.req) throw err(pos, col, `missing value for required parameter '${p.name}' of macro '${macro.name}'`);
      values.set(p.name, v ?? "");
    });
    if (args.length > macro.params.length && !macro.params.some((p) => p.vararg)) {
      throw err(pos, args[macro.params.length].col, `too many arguments for macro '${macro.name}' (takes ${macro.params.length})`);
    }
    const n = this.uniq++;
    const names = [...values.keys()].sort((a, b) => b.length - a.length);
    if (depth + 1 > MAX_NESTING) throw new LimitError(pos.file, pos.line, col, `macro '${macro.name}' nested too deeply (${MAX_NESTING} levels): does it call itself without end?`);
    const body = macro.body.map((l) => {
      let t = l.text.replace(/\\@/g, String(n));
      for (const name of names) {
        t = t.split(`\\${name}`).join(values.get(name)!);
        if (t.length > MAX_EXPANSION_CHARS) throw new LimitError(pos.file, pos.line, col, `macro '${macro.name}' expands to a line longer than ${MAX_EXPANSION_CHARS >> 20} MiB`);
      }
      t = t.replace(/\\\(\)/g, "");
      // Errors inside the expansion point at the invocation.
      return { file: pos.file, line: pos.line, text: t };
    });
    this.lines(this.expansion(body, pos, col), depth + 1, repeat);
  }

  private defineLabel(name: string, pos: Pos, col: number): void {
    if (/^[0-9]+$/.test(name)) {
      const k = (this.localCounts.get(name) ?? 0) + 1;
      this.localCounts.set(name, k);
      name = `.L.local.${name}.${k}`;
    }
    if (this.scope.labels.has(name) || this.scope.equates.has(name)) throw err(pos, col, `symbol '${name}' is already defined`);
    this.scope.labels.set(name, { sec: this.cur, off: this.cur.size });
  }

  /** Rewrites numeric local label references (1b, 1f) to the names defineLabel gave. */
  private localRefs(text: string): string {
    return text.replace(/(^|[^\w.$])([0-9]+)([bf])(?![\w.$])/g, (_m, pre, n, dir) => {
      const k = this.localCounts.get(n) ?? 0;
      return `${pre}.L.local.${n}.${dir === "b" ? k : k + 1}`;
    });
  }

  private defineEquate(name: string, text: string, pos: Pos, col: number): void {
    if (this.scope.labels.has(name)) throw err(pos, col, `symbol '${name}' is already defined as a label`);
    this.scope.equates.set(name, { text: this.localRefs(text.trim()), pos: { ...pos, col }, dot: { sec: this.cur, off: this.cur.size } });
  }

  /** Evaluates an expression that must be known in pass 1 (sizes, counts, alignments). */
  absolute(text: string, pos: Pos, col: number): bigint {
    const seen = new Set<string>();
    const lookup = (name: string, c: number): bigint => {
      const e = this.scope.equates.get(name);
      if (e) {
        if (seen.has(name)) throw new ExprError(`'${name}' is defined in terms of itself`, c);
        seen.add(name);
        const v = evaluate(e.text, lookup);
        seen.delete(name);
        return v;
      }
      // `.` and labels of the current section are offsets in it: differences like `. - start` work.
      if (name === ".") return BigInt(this.cur.size);
      const l = this.scope.labels.get(name);
      if (l && l.sec === this.cur) return BigInt(l.off);
      if (l) throw new ExprError(`'${name}' is an address in another section; an absolute value is needed here`, c);
      throw new ExprError(`undefined symbol '${name}' (an absolute value is needed here)`, c);
    };
    try {
      return evaluate(this.localRefs(text), lookup, { colBase: col });
    } catch (e) {
      if (e instanceof ExprError) throw err(pos, e.column, e.message);
      throw e;
    }
  }

  private emit(item: Item, size: number): void {
    if (this.cur.nobits && item.k !== "bytes") throw err((item as { pos: Pos }).pos, 1, `only .space/.skip/.zero may be used in ${this.cur.name}`);
    if ("pos" in item) this.grow(size, item.pos, item.pos.col);
    this.cur.items.push(item);
    this.cur.size += size;
  }

  private align(bytes: number, fill: number | undefined, maxSkip?: number): void {
    const s = this.cur;
    if (bytes > s.align) s.align = bytes;
    const pad = (bytes - (s.size % bytes)) % bytes;
    if (pad === 0 || (maxSkip !== undefined && pad > maxSkip)) return;
    const b = new Uint8Array(pad);
    if (fill !== undefined) b.fill(fill);
    else if (s.code) {
      // GNU as pads code with NOPs after aligning to 4 with zeros.
      const lead = pad % 4;
      const v = new DataView(b.buffer);
      for (let i = lead; i + 4 <= pad; i += 4) v.setUint32(i, NOP, true);
    }
    s.items.push({ k: "bytes", off: s.size, bytes: b });
    s.size += pad;
  }

  private flushPool(s: Section): void {
    if (s.pool.length === 0) return;
    const saved = this.cur;
    this.cur = s;
    const pending = s.pool.filter((l) => l.offset < 0);
    // GNU as keeps one pool per entry size and dumps the 4-byte pool before the 8-byte one.
    for (const size of [4, 8, 16]) {
      for (const lit of pending.filter((l) => l.size === size)) {
        const same = pending.find((o) => o !== lit && o.offset >= 0 && o.text === lit.text && o.size === lit.size && o.scope === lit.scope);
        if (same) { lit.offset = same.offset; continue; }
        this.align(lit.size, 0);
        lit.offset = s.size;
        s.items.push({ k: "data", off: s.size, size: lit.size, exprs: [{ text: lit.text, col: lit.pos.col }], pos: lit.pos, scope: lit.scope });
        s.size += lit.size;
      }
    }
    this.cur = saved;
  }

  private instruction(mn: string, rest: string, pos: Pos, col: number, restCol: number): void {
    if (this.cur.nobits) throw err(pos, col, `instructions cannot go in ${this.cur.name}`);
    if (this.cur.size % 4 !== 0) throw err(pos, col, `instruction at an offset that is not a multiple of 4 (add .align 2)`);
    const ops = splitOperands(this.localRefs(rest), restCol);
    const item: Item = { k: "insn", off: this.cur.size, mn, ops, pos: { ...pos, col }, scope: this.scope };
    const lit = ops.find((o) => o.text.startsWith("="));
    if (lit && (mn === "ldr" || mn === "ldrsw")) {
      const rt = parseRegister(ops[0]?.text ?? "");
      let size: 4 | 8 | 16 = rt?.x && mn === "ldr" ? 8 : 4;
      // ldr s0/d0/q0, =value: a 4-, 8- or 16-byte literal (GNU as).
      const fp = mn === "ldr" ? /^([sdq])([0-9]|[12][0-9]|3[01])$/i.exec(ops[0]?.text ?? "") : null;
      if (fp) size = ({ s: 4, d: 8, q: 16 } as const)[fp[1].toLowerCase() as "s" | "d" | "q"];
      const l: Literal = { text: lit.text.slice(1).trim(), size, pos: { ...pos, col: lit.col + 1 }, offset: -1, scope: this.scope };
      this.cur.pool.push(l);
      item.literal = l;
    }
    if (this.cur.align < 4) this.cur.align = 4;
    this.cur.code = true;
    this.emit(item, 4);
  }

  private dataItem(size: number, rest: string, pos: Pos, restCol: number): void {
    const exprs = splitOperands(this.localRefs(rest), restCol).map((o) => ({ text: o.text, col: o.col }));
    const item: Item = { k: "data", off: this.cur.size, size, exprs, pos, scope: this.scope };
    this.emit(item, size * exprs.length);
  }

  private directive(d: string, rest: string, pos: Pos, col: number, restCol: number): void {
    const ops = () => splitOperands(rest, restCol);
    switch (d) {
      case ".text": this.cur = this.section(".text"); return;
      case ".data": this.cur = this.section(".data"); return;
      case ".bss": this.cur = this.section(".bss"); return;
      case ".section": case ".pushsection": {
        const o = ops();
        if (!o.length) throw err(pos, col, ".section needs a name");
        const name = o[0].text.replace(/^"|"$/g, "");
        const flags = o[1]?.text.replace(/^"|"$/g, "");
        if (d === ".pushsection") this.sectionStack.push(this.cur);
        this.cur = this.section(name, flags);
        if (flags && /@nobits|%nobits/.test(o[2]?.text ?? "")) this.cur.nobits = true;
        return;
      }
      case ".popsection": {
        const s = this.sectionStack.pop();
        if (!s) throw err(pos, col, ".popsection without .pushsection");
        this.cur = s;
        return;
      }
      case ".globl": case ".global":
        for (const o of ops()) this.scope.globals.add(o.text);
        return;
      case ".extern": case ".type": case ".size": case ".file": case ".ident": case ".weak": case ".local": case ".hidden":
      case ".arch": case ".cpu": case ".loc": case ".p2alignw": case ".previous": case ".attribute": case ".note":
        return;
      case ".align": case ".p2align": {
        const o = ops();
        const n = Number(this.absolute(o[0]?.text ?? "0", pos, o[0]?.col ?? restCol));
        if (n < 0 || n > 16) throw err(pos, restCol, `alignment 2^${n} is out of range`);
        const fill = o[1] && o[1].text ? Number(this.absolute(o[1].text, pos, o[1].col)) : undefined;
        const max = o[2] ? Number(this.absolute(o[2].text, pos, o[2].col)) : undefined;
        this.align(1 << n, fill, max);
        return;
      }
      case ".balign": {
        const o = ops();
        const n = Number(this.absolute(o[0]?.text ?? "1", pos, o[0]?.col ?? restCol));
        if (n <= 0 || (n & (n - 1)) !== 0) throw err(pos, restCol, `.balign ${n}: alignment must be a power of two`);
        const fill = o[1] && o[1].text ? Number(this.absolute(o[1].text, pos, o[1].col)) : undefined;
        this.align(n, fill);
        return;
      }
      case ".byte": this.dataItem(1, rest, pos, restCol); return;
      case ".hword": case ".short": case ".half": case ".2byte": this.dataItem(2, rest, pos, restCol); return;
      case ".word": case ".long": case ".int": case ".4byte": this.dataItem(4, rest, pos, restCol); return;
      case ".quad": case ".xword": case ".dword": case ".8byte": this.dataItem(8, rest, pos, restCol); return;
      case ".ascii": case ".asciz": case ".string": {
        for (const o of ops()) {
          const b = parseString(o.text, pos, o.col);
          const bytes = d === ".ascii" ? b : new Uint8Array([...b, 0]);
          this.emit({ k: "bytes", off: this.cur.size, bytes }, bytes.length);
        }
        return;
      }
      case ".space": case ".skip": case ".zero": {
        const o = ops();
        const n = Number(this.absolute(o[0]?.text ?? "", pos, o[0]?.col ?? restCol));
        if (!Number.isInteger(n) || n < 0 || n > MAX_OUTPUT_BYTES) throw err(pos, restCol, `${d} size ${n} is out of range (0 to ${MAX_OUTPUT_BYTES})`);
        this.grow(n, pos, restCol);
        const fill = o[1] ? Number(this.absolute(o[1].text, pos, o[1].col)) & 0xff : 0;
        const bytes = new Uint8Array(n).fill(fill);
        this.cur.items.push({ k: "bytes", off: this.cur.size, bytes });
        this.cur.size += n;
        return;
      }
      case ".fill": {
        const o = ops();
        const rep = Number(this.absolute(o[0]?.text ?? "", pos, o[0]?.col ?? restCol));
        const size = o[1] ? Number(this.absolute(o[1].text, pos, o[1].col)) : 1;
        const value = o[2] ? this.absolute(o[2].text, pos, o[2].col) : 0n;
        if (!Number.isInteger(rep) || rep < 0) throw err(pos, o[0]?.col ?? restCol, `.fill repeat count ${rep} is out of range`);
        if (!Number.isInteger(size) || size < 0 || size > 8) throw err(pos, o[1]?.col ?? restCol, `.fill size ${size} is out of range (0 to 8)`);
        if (rep * size > MAX_OUTPUT_BYTES) throw new LimitError(pos.file, pos.line, restCol, `.fill ${rep}, ${size} makes ${rep * size} bytes, more than ${MAX_OUTPUT_BYTES >> 20} MiB`);
        this.grow(rep * size, pos, restCol);
        const bytes = new Uint8Array(rep * size);
        for (let r = 0; r < rep; r++) for (let k = 0; k < Math.min(size, 8); k++) bytes[r * size + k] = Number((value >> BigInt(8 * k)) & 0xffn);
        this.emit({ k: "bytes", off: this.cur.size, bytes }, bytes.length);
        return;
      }
      case ".equ": case ".set": case ".equiv": {
        const o = ops();
        if (o.length !== 2) throw err(pos, restCol, `${d} expects 'name, expression'`);
        if (d === ".equiv" && (this.scope.equates.has(o[0].text) || this.scope.labels.has(o[0].text))) throw err(pos, o[0].col, `symbol '${o[0].text}' is already defined`);
        this.defineEquate(o[0].text, o[1].text, pos, o[1].col);
        return;
      }
      case ".ltorg": case ".pool": this.flushPool(this.cur); return;
      case ".include": {
        const name = rest.trim().replace(/^"|"$/g, "");
        const found = this.provider.read(name, pos.file, this.includeDirs);
        if (!found) throw err(pos, restCol, `cannot find include file '${name}'`);
        if (this.includeDepth >= MAX_INCLUDE_DEPTH) throw new LimitError(pos.file, pos.line, restCol, `.include nested too deeply (${MAX_INCLUDE_DEPTH} levels): does '${name}' include itself?`);
        this.includeDepth++;
        try { this.lines(this.pre.run(found[0], found[1]), 1); } finally { this.includeDepth--; }
        return;
      }
      case ".err": throw err(pos, col, ".err encountered");
      case ".error": throw err(pos, col, rest.trim().replace(/^"|"$/g, "") || ".error encountered");
      default:
        if (d.startsWith(".cfi_")) return;
        throw err(pos, col, `unknown directive '${d}'`);
    }
  }
}

// ---- link and pass 2 ----

const OUTPUT_ORDER = [".text.boot", ".text", ".text.host", ".rodata", ".data"];

function outputSectionOf(name: string): string {
  if (name === ".text.boot") return ".text.boot";
  if (name === ".text.host") return ".text.host";
  if (name === ".text" || name.startsWith(".text.")) return ".text";
  if (name === ".rodata" || name.startsWith(".rodata")) return ".rodata";
  if (name === ".bss" || name.startsWith(".bss") || name === ".sbss") return ".bss";
  return ".data";
}

export function defaultFileProvider(): FileProvider {
  return {
    read(name, fromFile, includeDirs) {
      // Imported lazily so the assembler also works in a browser with an in-memory provider.
      const fs = (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process?.getBuiltinModule?.("node:fs") as typeof import("node:fs") | undefined;
      const path = (globalThis as { process?: { getBuiltinModule?: (m: string) => unknown } }).process?.getBuiltinModule?.("node:path") as typeof import("node:path") | undefined;
      if (!fs || !path) return undefined;
      const dirs = [path.dirname(fromFile), ...includeDirs];
      for (const d of dirs) {
        const p = path.resolve(d, name);
        if (fs.existsSync(p)) return [p, fs.readFileSync(p, "utf8")];
      }
      return undefined;
    },
  };
}

/** A provider over in-memory files (name -> text), falling back to `next`. */
export function memoryFileProvider(files: Record<string, string>, next?: FileProvider): FileProvider {
  return {
    read(name, fromFile, includeDirs) {
      if (name in files) return [name, files[name]];
      for (const d of includeDirs) {
        const p = `${d.replace(/\/$/, "")}/${name}`;
        if (p in files) return [p, files[p]];
      }
      return next?.read(name, fromFile, includeDirs);
    },
  };
}

export function assemble(sources: AsmSource[], opts: AssembleOptions = {}): AssembleResult {
  const base = opts.base ?? 0;
  const provider = opts.provider ?? defaultFileProvider();
  const includeDirs = opts.includeDirs ?? [];
  const files: Pass1[] = [];
  const budget: Budget = { statements: 0, chars: 0, output: 0 };
  const errors: SourceError[] = [];
  for (const src of sources) {
    const pre = new Preprocessor(provider, includeDirs, { __ASSEMBLER__: "1", ...(opts.defines ?? {}) });
    const lines = pre.run(src.name, src.text);
    const p = new Pass1(src.name, new Map(), pre, provider, includeDirs, budget);
    try { p.run(lines); } catch (e) {
      if (!(e instanceof LimitError)) throw e;
      p.errors.push(e); // a bound ends this file's assembly; the errors before it are reported too
    }
    errors.push(...p.errors);
    files.push(p);
  }
  // Pass 2 after a failed pass 1 would only add errors that follow from the first ones.
  throwCollected(errors);

  // Global symbols, and the undefined ones that become host trampolines.
  const globals = new Map<string, { sec: Section; off: number } | Equate & { scope: FileScope }>();
  for (const f of files) {
    for (const g of f.scope.globals) {
      const l = f.scope.labels.get(g);
      const e = f.scope.equates.get(g);
      if (!l && !e) continue;
      if (globals.has(g)) throw new SourceError(f.scope.file, 1, 1, `global symbol '${g}' is defined in more than one file`);
      globals.set(g, l ?? { ...e!, scope: f.scope });
    }
  }
  const isHost = typeof opts.hostSymbols === "function" ? opts.hostSymbols : (n: string) => (opts.hostSymbols as string[] | undefined)?.includes(n) ?? false;
  const hostCalls = new Map<string, number>();
  const referenced = new Set<string>();
  for (const f of files) for (const s of f.sections.values()) for (const it of s.items) {
    if (it.k === "insn") for (const o of it.ops) for (const sym of symbolsIn(o.text.replace(/^[#=]/, "").replace(/:lo12:/g, ""))) referenced.add(sym);
    if (it.k === "data") for (const e of it.exprs) for (const sym of symbolsIn(e.text)) referenced.add(sym);
  }
  let nextImm = opts.hostImmBase ?? 0x100;
  for (const name of [...referenced].sort()) {
    if (globals.has(name) || name === "bss_begin" || name === "bss_end") continue;
    if (files.some((f) => f.scope.labels.has(name) || f.scope.equates.has(name))) continue;
    if (isHost(name)) hostCalls.set(name, nextImm++);
  }
  const hostSection: Section = { name: ".text.host", size: 0, align: 4, code: true, nobits: false, items: [], pool: [], address: 0 };
  const hostLabels = new Map<string, number>();
  if (hostCalls.size) {
    for (const [name, imm] of hostCalls) {
      hostLabels.set(name, hostSection.size);
      const b = new Uint8Array(8);
      const v = new DataView(b.buffer);
      v.setUint32(0, 0xd4400000 | (imm << 5), true); // hlt #imm
      v.setUint32(4, 0xd65f03c0, true);              // ret
      hostSection.items.push({ k: "bytes", off: hostSection.size, bytes: b });
      hostSection.size += 8;
    }
    hostLabels.set("__host_return", hostSection.size);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, 0xd4400000 | (HOST_RETURN_IMM << 5), true);
    hostSection.items.push({ k: "bytes", off: hostSection.size, bytes: b });
    hostSection.size += 4;
  }

  // Layout: output sections in linker-script order, input sections in file order.
  const outputs = new Map<string, Section[]>();
  for (const f of files) for (const s of f.sections.values()) {
    if (s.size === 0 && s.items.length === 0) continue;
    const o = outputSectionOf(s.name);
    if (!outputs.has(o)) outputs.set(o, []);
    outputs.get(o)!.push(s);
  }
  if (hostCalls.size) outputs.set(".text.host", [hostSection]);
  let addr = base;
  const sectionInfo: SectionInfo[] = [];
  const place = (name: string) => {
    const list = outputs.get(name);
    if (!list) return;
    const maxAlign = Math.max(...list.map((s) => s.align));
    addr = Math.ceil(addr / maxAlign) * maxAlign;
    const start = addr;
    for (const s of list) {
      addr = Math.ceil(addr / s.align) * s.align;
      s.address = addr;
      addr += s.size;
    }
    sectionInfo.push({ name, address: start, size: addr - start, nobits: name === ".bss" });
  };
  for (const name of OUTPUT_ORDER) place(name);
  addr = Math.ceil(addr / 8) * 8;
  const bssBegin = addr;
  place(".bss");
  const bssEnd = addr;

  // Symbol resolution.
  const symbols = new Map<string, number>();
  const globalAddrs = new Map<string, number>();
  const resolveIn = (scope: FileScope | undefined, name: string, dot: number, seen: Set<string>): bigint | undefined => {
    if (name === ".") return BigInt(dot);
    if (scope) {
      const l = scope.labels.get(name);
      if (l) return BigInt(l.sec.address + l.off);
      const e = scope.equates.get(name);
      if (e) return evalEquate(scope, name, e, seen);
    }
    const g = globals.get(name);
    if (g) {
      if ("sec" in g) return BigInt(g.sec.address + g.off);
      return evalEquate(g.scope, name, g, seen);
    }
    if (name === "bss_begin") return BigInt(bssBegin);
    if (name === "bss_end") return BigInt(bssEnd);
    const h = hostLabels.get(name);
    if (h !== undefined) return BigInt(hostSection.address + h);
    return undefined;
  };
  const evalEquate = (scope: FileScope, name: string, e: Equate, seen: Set<string>): bigint => {
    if (seen.has(name)) throw new SourceError(e.pos.file, e.pos.line, e.pos.col, `'${name}' is defined in terms of itself`);
    seen.add(name);
    try {
      return evalText(e.text, scope, e.dot.sec.address + e.dot.off, e.pos, e.pos.col, seen);
    } finally {
      seen.delete(name);
    }
  };
  const evalText = (text: string, scope: FileScope, dot: number, pos: Pos, col: number, seen = new Set<string>()): bigint => {
    let t = text.trim();
    let lo12 = false;
    const m = /^:lo12:(.*)$/.exec(t);
    if (m) { lo12 = true; t = m[1]; }
    try {
      const v = evaluate(t, (name, c) => {
        const r = resolveIn(scope, name, dot, seen);
        if (r === undefined) {
          const local = /^\.L\.local\.(\d+)\.(\d+)$/.exec(name);
          if (local) throw new ExprError(`undefined local label '${local[1]}${local[2] === "0" ? "b" : "f"}': no '${local[1]}:' ${local[2] === "0" ? "before" : "after"} this line`, c);
          throw new ExprError(`undefined symbol '${name}'`, c);
        }
        return r;
      }, { colBase: col + (text.length - text.trimStart().length) + (lo12 ? 6 : 0) });
      return lo12 ? v & 0xfffn : v;
    } catch (e) {
      if (e instanceof ExprError) throw err(pos, e.column, e.message);
      throw e;
    }
  };

  for (const f of files) {
    for (const [name, l] of f.scope.labels) if (!name.startsWith(".L.local.") && !symbols.has(name)) symbols.set(name, l.sec.address + l.off);
    for (const [name, e] of f.scope.equates) if (!symbols.has(name)) {
      try { symbols.set(name, Number(BigInt.asUintN(64, evalEquate(f.scope, name, e, new Set())))); } catch { /* unused equate with a bad value */ }
    }
    for (const g of f.scope.globals) { const v = symbols.get(g); if (v !== undefined) globalAddrs.set(g, v); }
  }
  for (const [name, off] of hostLabels) symbols.set(name, hostSection.address + off);
  symbols.set("bss_begin", bssBegin);
  symbols.set("bss_end", bssEnd);

  // Pass 2: bytes.
  const contentEnd = Math.max(base, ...sectionInfo.filter((s) => !s.nobits && s.size > 0).map((s) => s.address + s.size));
  const image = new Uint8Array(contentEnd - base);
  const view = new DataView(image.buffer);
  const allSections = [...outputs.entries()].filter(([n]) => n !== ".bss").flatMap(([, l]) => l);
  const lines = new Map<number, { file: string; line: number }>();
  for (const s of allSections) {
    for (const it of s.items) {
      const at = s.address + it.off;
      const o = at - base;
      if (it.k === "bytes") { image.set(it.bytes, o); continue; }
      try { encodeItem(it, s, at, o); } catch (e) {
        if (!(e instanceof SourceError)) throw e;
        errors.push(e);
        if (errors.length >= MAX_ERRORS) break;
      }
    }
  }
  throwCollected(errors);
  function encodeItem(it: Exclude<Item, { k: "bytes" }>, s: Section, at: number, o: number): void {
    if (it.k === "data") {
      it.exprs.forEach((e, idx) => {
        const v = evalText(e.text, it.scope, at + idx * it.size, it.pos, e.col);
        const lim = 1n << BigInt(it.size * 8);
        if (it.size < 8 && (v >= lim || v < -(lim >> 1n))) throw err(it.pos, e.col, `value 0x${BigInt.asUintN(64, v).toString(16)} does not fit in ${it.size} byte${it.size > 1 ? "s" : ""}`);
        const u = BigInt.asUintN(64, v);
        for (let k = 0; k < it.size; k++) image[o + idx * it.size + k] = Number((u >> BigInt(8 * k)) & 0xffn);
      });
      return;
    }
    lines.set(at, { file: it.pos.file, line: it.pos.line });
    const ops = it.ops.map((raw) => parseOperand(raw, (t, c) => evalText(t, it.scope, at, it.pos, c), it.pos));
    mergePostIndex(ops);
    try {
      const word = encodeInstruction(it.mn, ops, {
        pc: at,
        literal: () => {
          const lit = it.literal!;
          return s.address + lit.offset;
        },
      });
      view.setUint32(o, word, true);
    } catch (e) {
      if (e instanceof EncodeError) {
        const c = e.operand !== undefined && it.ops[e.operand] ? it.ops[e.operand].col : it.pos.col;
        throw err(it.pos, c, e.message);
      }
      throw e;
    }
  }
  const entry = symbols.get("_start") ?? base;
  return { image, base, entry, symbols, globals: globalAddrs, sections: sectionInfo, hostCalls, hostReturn: hostLabels.has("__host_return") ? hostSection.address + hostLabels.get("__host_return")! : undefined, bssBegin, bssEnd, lines };
}

// ---- operands ----

type Evaluator = (text: string, col: number) => bigint;

function exprOp(text: string, col: number, hash: boolean, ev: Evaluator): ExprOp {
  let cached: bigint | undefined;
  return { t: "expr", text, hash, value: () => (cached ??= ev(text, col)) };
}

function shiftOp(text: string, col: number, ev: Evaluator): ShiftOp | undefined {
  const m = /^([a-z]+)\b\s*(#?)(.*)$/i.exec(text);
  if (!m) return undefined;
  const kind = m[1].toLowerCase();
  if (!SHIFTS.includes(kind) && !EXTENDS.includes(kind) && kind !== "msl") return undefined;
  const amountText = m[3].trim();
  if (!amountText && m[2]) return undefined;
  const amountCol = col + text.indexOf(m[3]);
  return { t: "shift", kind, amount: amountText ? exprOp(amountText, amountCol, true, ev) : undefined, text };
}

function parseOperand(raw: RawOperand, ev: Evaluator, pos: Pos): Operand {
  const text = raw.text;
  if (!text) throw err(pos, raw.col, "empty operand");
  if (text.startsWith("[")) {
    const close = text.lastIndexOf("]");
    if (close < 0) throw err(pos, raw.col, "missing ']' in memory operand");
    const inner = splitOperands(text.slice(1, close), raw.col + 1);
    const after = text.slice(close + 1).trim();
    if (after && after !== "!") throw err(pos, raw.col + close + 1, `unexpected '${after}' after ']'`);
    const base = parseRegister(inner[0]?.text ?? "");
    if (!base) throw err(pos, inner[0]?.col ?? raw.col, `expected a base register, not '${inner[0]?.text ?? ""}'`);
    const mem: MemOp = { t: "mem", base, pre: after === "!", text };
    if (inner[1]) {
      const r = parseRegister(inner[1].text);
      if (r) mem.offset = r;
      else mem.offset = exprOp(inner[1].text.replace(/^#/, ""), inner[1].col + (inner[1].text.startsWith("#") ? 1 : 0), true, ev);
    }
    if (inner[2]) {
      const s = shiftOp(inner[2].text, inner[2].col, ev);
      if (!s) throw err(pos, inner[2].col, `expected an extend or shift (lsl, uxtw, sxtw, sxtx), not '${inner[2].text}'`);
      mem.ext = s;
    }
    if (inner.length > 3) throw err(pos, inner[3].col, "too many parts in memory operand");
    if (mem.pre && mem.offset?.t === "reg") throw err(pos, raw.col, "register offsets have no writeback form");
    return mem;
  }
  if (text.startsWith("=")) {
    const lit: LitOp = { t: "lit", text: text.slice(1).trim(), value: () => ev(text.slice(1).trim(), raw.col + 1) };
    return lit;
  }
  if (text.startsWith("#")) return exprOp(text.slice(1).trim(), raw.col + 1, true, ev);
  let simd: Operand | undefined;
  try { simd = parseSimdOperand(text); } catch (e) {
    if (e instanceof SimdSyntaxError) throw err(pos, raw.col, e.message);
    throw e;
  }
  if (simd) {
    if (simd.t === "fpreg") simd.expr = exprOp(text, raw.col, false, ev);
    return simd;
  }
  const r = parseRegister(text);
  if (r) return r;
  const s = shiftOp(text, raw.col, ev);
  if (s) return s;
  return exprOp(text, raw.col, false, ev);
}

/** `[xn], #imm` is one post-indexed memory operand. */
function mergePostIndex(ops: Operand[]): void {
  for (let i = 0; i + 1 < ops.length; i++) {
    const m = ops[i];
    if (m.t === "mem" && !m.pre && m.offset === undefined && (ops[i + 1].t === "expr" || ops[i + 1].t === "reg")) {
      m.post = ops[i + 1] as ExprOp | RegOp;
      ops.splice(i + 1, 1);
    }
  }
}
