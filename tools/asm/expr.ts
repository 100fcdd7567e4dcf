// Expressions of GNU as (and of the C preprocessor's #if): integers, symbols,
// character constants, `.`, unary - ~ !, and binary operators with either GNU as
// precedence (* / % << >> bind tightest, then | & ^, then + - and comparisons,
// then && ||) or C precedence.

export class ExprError extends Error {
  readonly column: number;
  constructor(message: string, column: number) {
    // Thrown and caught in the normal course of assembling (an equate evaluated before its
    // symbols exist): a stack trace would be a third of the assembler's time, and the error a
    // user sees is re-raised with file:line:col anyway.
    const limit = (Error as { stackTraceLimit?: number }).stackTraceLimit;
    (Error as { stackTraceLimit?: number }).stackTraceLimit = 0;
    super(message);
    (Error as { stackTraceLimit?: number }).stackTraceLimit = limit;
    this.column = column;
  }
}

export type SymbolLookup = (name: string, column: number) => bigint;

interface Token { kind: "num" | "sym" | "op" | "end"; text: string; value?: bigint; col: number }

const OPERATORS = ["<<", ">>", "<=", ">=", "==", "!=", "<>", "&&", "||", "+", "-", "*", "/", "%", "&", "|", "^", "~", "!", "(", ")", "<", ">"];

export function tokenize(src: string, colBase = 0): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === " " || c === "\t") { i++; continue; }
    const col = colBase + i;
    if (/[0-9]/.test(c)) {
      const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)[uUlL]*/.exec(src.slice(i))!;
      let text = m[1];
      let value: bigint;
      // GNU as numeric local label references: 1b, 2f
      const after = src[i + m[0].length];
      if (/^[0-9]+$/.test(text) && (after === "b" || after === "f") && !/[0-9a-zA-Z_.$]/.test(src[i + m[0].length + 1] ?? "")) {
        out.push({ kind: "sym", text: text + after, col });
        i += m[0].length + 1;
        continue;
      }
      if (/^0[0-7]+$/.test(text)) value = BigInt("0o" + text.slice(1));
      else value = BigInt(text);
      out.push({ kind: "num", text, value, col });
      i += m[0].length;
      continue;
    }
    if (c === "'") {
      // Character constant: 'a' (C) or 'a (GNU as)
      let ch = src[i + 1];
      let len = 2;
      if (ch === "\\") {
        const esc = src[i + 2];
        const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"' };
        ch = map[esc] ?? esc;
        len = 3;
      }
      if (ch === undefined) throw new ExprError("unterminated character constant", col);
      if (src[i + len] === "'") len++;
      out.push({ kind: "num", text: src.slice(i, i + len), value: BigInt(ch.charCodeAt(0)), col });
      i += len;
      continue;
    }
    if (/[A-Za-z_.$]/.test(c)) {
      const m = /^[A-Za-z_.$][A-Za-z0-9_.$]*/.exec(src.slice(i))!;
      out.push({ kind: "sym", text: m[0], col });
      i += m[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprError(`unexpected character '${c}' in expression`, col);
    out.push({ kind: "op", text: op, col });
    i += op.length;
  }
  out.push({ kind: "end", text: "", col: colBase + src.length });
  return out;
}

const GAS_LEVELS: string[][] = [["||"], ["&&"], ["+", "-", "==", "!=", "<>", "<", ">", "<=", ">="], ["|", "&", "^", "!"], ["*", "/", "%", "<<", ">>"]];
const C_LEVELS: string[][] = [["||"], ["&&"], ["|"], ["^"], ["&"], ["==", "!="], ["<", ">", "<=", ">="], ["<<", ">>"], ["+", "-"], ["*", "/", "%"]];

const MASK64 = (1n << 64n) - 1n;

function apply(op: string, a: bigint, b: bigint, col: number): bigint {
  switch (op) {
    case "+": return a + b;
    case "-": return a - b;
    case "*": return a * b;
    case "/": if (b === 0n) throw new ExprError("division by zero", col); return a / b;
    case "%": if (b === 0n) throw new ExprError("division by zero", col); return a % b;
    case "<<": return BigInt.asIntN(64, a << b);
    case ">>": return BigInt.asIntN(64, BigInt.asUintN(64, a) >> b);
    case "&": return BigInt.asIntN(64, a & b);
    case "|": return BigInt.asIntN(64, a | b);
    case "^": return BigInt.asIntN(64, a ^ b);
    case "!": return BigInt.asIntN(64, a | (~b & MASK64)); // GNU as "or not"
    case "==": return a === b ? -1n : 0n;
    case "!=": case "<>": return a !== b ? -1n : 0n;
    case "<": return a < b ? -1n : 0n;
    case ">": return a > b ? -1n : 0n;
    case "<=": return a <= b ? -1n : 0n;
    case ">=": return a >= b ? -1n : 0n;
    case "&&": return a !== 0n && b !== 0n ? 1n : 0n;
    case "||": return a !== 0n || b !== 0n ? 1n : 0n;
    default: throw new ExprError(`unknown operator ${op}`, col);
  }
}

/** Evaluates `src`; symbols go through `lookup`. Comparisons give -1/0 as GNU as does (1/0 in C mode). */
export function evaluate(src: string, lookup: SymbolLookup, opts: { c?: boolean; colBase?: number } = {}): bigint {
  const toks = tokenize(src, opts.colBase ?? 0);
  const levels = opts.c ? C_LEVELS : GAS_LEVELS;
  let p = 0;
  const peek = () => toks[p];

  function primary(): bigint {
    const t = toks[p];
    if (t.kind === "num") { p++; return t.value!; }
    if (t.kind === "sym") { p++; return lookup(t.text, t.col); }
    if (t.kind === "op") {
      if (t.text === "(") {
        p++;
        const v = binary(0);
        if (peek().text !== ")") throw new ExprError("missing ')'", peek().col);
        p++;
        return v;
      }
      if (t.text === "-") { p++; return -primary(); }
      if (t.text === "+") { p++; return primary(); }
      if (t.text === "~") { p++; return BigInt.asIntN(64, ~primary()); }
      if (t.text === "!") { p++; return primary() === 0n ? 1n : 0n; }
    }
    if (t.kind === "end") throw new ExprError("expression expected", t.col);
    throw new ExprError(`unexpected '${t.text}' in expression`, t.col);
  }

  function binary(level: number): bigint {
    if (level >= levels.length) return primary();
    let v = binary(level + 1);
    for (;;) {
      const t = peek();
      if (t.kind !== "op" || !levels[level].includes(t.text)) return v;
      p++;
      const rhs = binary(level + 1);
      v = apply(t.text, v, rhs, t.col);
      if (opts.c && ["==", "!=", "<", ">", "<=", ">="].includes(t.text)) v = v !== 0n ? 1n : 0n;
    }
  }

  const v = binary(0);
  if (peek().kind !== "end") throw new ExprError(`unexpected '${peek().text}' after expression`, peek().col);
  return v;
}

/** Symbols an expression mentions (to tell absolute expressions from address ones). */
export function symbolsIn(src: string): string[] {
  try {
    return tokenize(src).filter((t) => t.kind === "sym").map((t) => t.text);
  } catch {
    return [];
  }
}
