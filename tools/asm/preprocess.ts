// The C preprocessor subset the tutorial's .S files use: #include "..." (and <...>)
// with include paths, object- and function-like #define, #undef,
// #if/#ifdef/#ifndef/#elif/#else/#endif with defined(), and comments (// and /* */).
// Output keeps each line's file and number for error messages.

import { evaluate, ExprError } from "./expr.js";

export interface SourceLine { file: string; line: number; text: string }

export class SourceError extends Error {
  constructor(readonly file: string, readonly line: number, readonly column: number, readonly reason: string) {
    super(`${file}:${line}:${column}: error: ${reason}`);
  }
}

export interface FileProvider {
  /** Returns [resolved name, text] for an include, or undefined if not found. */
  read(name: string, fromFile: string, includeDirs: string[]): [string, string] | undefined;
}

interface Macro { params?: string[]; body: string }

/** Removes comments, keeping line structure; block comments may span lines. */
function stripComments(lines: string[], file: string): string[] {
  let inBlock = false;
  return lines.map((raw, idx) => {
    let out = "";
    let i = 0;
    let inStr: string | null = null;
    while (i < raw.length) {
      if (inBlock) {
        const end = raw.indexOf("*/", i);
        if (end < 0) { out += " ".repeat(raw.length - i); i = raw.length; break; }
        out += " ".repeat(end + 2 - i);
        i = end + 2;
        inBlock = false;
        continue;
      }
      const c = raw[i];
      if (inStr) {
        out += c;
        if (c === "\\" && i + 1 < raw.length) { out += raw[i + 1]; i += 2; continue; }
        if (c === inStr) inStr = null;
        i++;
        continue;
      }
      if (c === '"') { inStr = c; out += c; i++; continue; }
      if (c === "/" && raw[i + 1] === "*") { inBlock = true; out += "  "; i += 2; continue; }
      if (c === "/" && raw[i + 1] === "/") break;
      out += c;
      i++;
    }
    void idx; void file;
    return out;
  });
}

export class Preprocessor {
  readonly macros = new Map<string, Macro>();
  private depth = 0;

  constructor(private readonly provider: FileProvider, private readonly includeDirs: string[], defines: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(defines)) this.macros.set(k, { body: v });
  }

  run(file: string, text: string): SourceLine[] {
    if (++this.depth > 64) throw new SourceError(file, 1, 1, "#include nested too deeply (64 levels): is there an include cycle?");
    try {
      return this.process(file, text);
    } finally {
      this.depth--;
    }
  }

  private process(file: string, text: string): SourceLine[] {
    const rawLines = text.split(/\r?\n/);
    // Join backslash-continued lines (keep numbering by leaving empty lines behind).
    const joined: string[] = [];
    for (let i = 0; i < rawLines.length; i++) {
      let l = rawLines[i];
      let extra = 0;
      while (l.endsWith("\\") && i + 1 < rawLines.length) { l = l.slice(0, -1) + rawLines[++i]; extra++; }
      joined.push(l);
      for (let k = 0; k < extra; k++) joined.push("");
    }
    const lines = stripComments(joined, file);
    const out: SourceLine[] = [];
    // Conditional stack: [taking, anyTaken, sawElse]
    const cond: [boolean, boolean, boolean][] = [];
    const active = () => cond.every((c) => c[0]);
    for (let i = 0; i < lines.length; i++) {
      const lineNo = i + 1;
      const text = lines[i];
      const m = /^\s*#\s*([a-z_]+)\b(.*)$/.exec(text);
      if (m) {
        const [, dir, rest] = m;
        const col = text.indexOf("#") + 1;
        const err = (reason: string, c = col) => new SourceError(file, lineNo, c, reason);
        switch (dir) {
          case "ifdef": case "ifndef": {
            const name = rest.trim();
            const has = this.macros.has(name);
            const take = active() && (dir === "ifdef" ? has : !has);
            cond.push([take, take, false]);
            continue;
          }
          case "if": {
            const take = active() && this.evalCondition(rest, file, lineNo, text.indexOf(rest) + 1);
            cond.push([take, take, false]);
            continue;
          }
          case "elif": {
            const top = cond[cond.length - 1];
            if (!top) throw err("#elif without #if");
            if (top[2]) throw err("#elif after #else");
            const parentActive = cond.slice(0, -1).every((c) => c[0]);
            const take = parentActive && !top[1] && this.evalCondition(rest, file, lineNo, text.indexOf(rest) + 1);
            top[0] = take;
            if (take) top[1] = true;
            continue;
          }
          case "else": {
            const top = cond[cond.length - 1];
            if (!top) throw err("#else without #if");
            if (top[2]) throw err("second #else for the same #if");
            const parentActive = cond.slice(0, -1).every((c) => c[0]);
            top[0] = parentActive && !top[1];
            top[2] = true;
            continue;
          }
          case "endif":
            if (!cond.pop()) throw err("#endif without #if");
            continue;
          default:
            break;
        }
        if (!active()) continue;
        switch (dir) {
          case "include": {
            const inc = /^\s*(?:"([^"]+)"|<([^>]+)>)/.exec(rest);
            if (!inc) throw err(`#include expects "file" or <file>`);
            const name = inc[1] ?? inc[2];
            const found = this.provider.read(name, file, this.includeDirs);
            if (!found) throw err(`cannot find include file '${name}' (searched ${[".", ...this.includeDirs].join(", ")})`, text.indexOf(name) + 1);
            out.push(...this.run(found[0], found[1]));
            continue;
          }
          case "define": {
            const d = /^\s+([A-Za-z_][A-Za-z0-9_]*)(\(([^)]*)\))?\s*(.*)$/.exec(rest);
            if (!d) throw err("#define expects a name");
            const params = d[2] !== undefined ? d[3].split(",").map((s) => s.trim()).filter((s) => s.length > 0) : undefined;
            this.macros.set(d[1], { params, body: d[4].trim() });
            continue;
          }
          case "undef":
            this.macros.delete(rest.trim());
            continue;
          case "error":
            throw err(`#error ${rest.trim()}`);
          case "warning": case "pragma": case "line": case "ident":
            continue;
          default:
            // GNU as treats a line starting with '#' as a comment when it is not a directive.
            continue;
        }
      }
      if (!active()) continue;
      out.push({ file, line: lineNo, text: this.expand(text, file, lineNo) });
    }
    if (cond.length) throw new SourceError(file, lines.length, 1, "unterminated #if/#ifdef (missing #endif)");
    return out;
  }

  private evalCondition(expr: string, file: string, line: number, col: number): boolean {
    const withDefined = expr.replace(/\bdefined\s*(\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)|\s+([A-Za-z_][A-Za-z0-9_]*))/g,
      (_m, _a, n1, n2) => (this.macros.has(n1 ?? n2) ? "1" : "0"));
    const expanded = this.expand(withDefined, file, line);
    try {
      return evaluate(expanded, () => 0n, { c: true }) !== 0n;
    } catch (e) {
      if (e instanceof ExprError) throw new SourceError(file, line, col + e.column, `in #if: ${e.message}`);
      throw e;
    }
  }

  /** Expands macros in a line (outside string literals), never re-expanding a macro inside itself. */
  expand(text: string, file: string, line: number, hidden: Set<string> = new Set()): string {
    if (this.macros.size === 0) return text;
    let out = "";
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        const end = findStringEnd(text, i);
        out += text.slice(i, end);
        i = end;
        continue;
      }
      if (/[A-Za-z_]/.test(c) && (i === 0 || !/[A-Za-z0-9_.$\\]/.test(text[i - 1]))) {
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
        const name = m[0];
        const macro = this.macros.get(name);
        if (!macro || hidden.has(name)) { out += name; i += name.length; continue; }
        if (macro.params === undefined) {
          out += this.expand(macro.body, file, line, new Set([...hidden, name]));
          i += name.length;
          continue;
        }
        // Function-like: needs '(' next.
        let j = i + name.length;
        while (text[j] === " " || text[j] === "\t") j++;
        if (text[j] !== "(") { out += name; i += name.length; continue; }
        const args: string[] = [];
        let depth = 0;
        let cur = "";
        let k = j + 1;
        for (; k < text.length; k++) {
          const ch = text[k];
          if (ch === "(") depth++;
          if (ch === ")") { if (depth === 0) break; depth--; }
          if (ch === "," && depth === 0) { args.push(cur.trim()); cur = ""; continue; }
          cur += ch;
        }
        if (k >= text.length) throw new SourceError(file, line, i + 1, `unterminated argument list of macro '${name}'`);
        if (cur.trim().length || args.length) args.push(cur.trim());
        if (args.length !== macro.params.length) {
          throw new SourceError(file, line, i + 1, `macro '${name}' takes ${macro.params.length} argument(s), got ${args.length}`);
        }
        let body = macro.body;
        macro.params.forEach((p, idx) => {
          body = body.replace(new RegExp(`\\b${p}\\b`, "g"), this.expand(args[idx], file, line, hidden));
        });
        out += this.expand(body, file, line, new Set([...hidden, name]));
        i = k + 1;
        continue;
      }
      out += c;
      i++;
    }
    return out;
  }
}

export function findStringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === "\\") { i += 2; continue; }
    if (text[i] === '"') return i + 1;
    i++;
  }
  return text.length;
}
