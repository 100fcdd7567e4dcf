// A source map (version 3) reader, enough to turn a stack frame of a bundle
// into the TypeScript file and line it came from: the lab's "which kernel
// function is running" pane. Mappings are Base64 VLQ segments, one group per
// generated line; fields are relative to the previous segment (source index,
// original line and column across lines, generated column within a line).

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) DIGIT[B64.charCodeAt(i)] = i;

export interface RawSourceMap { sources: string[]; mappings: string }

export class SourceMap {
  /** Per generated line: [generated column, source index, original line] triples, in column order. */
  private lines: Int32Array[] = [];

  constructor(private readonly raw: RawSourceMap) {
    let src = 0, line = 0, col = 0;
    for (const group of raw.mappings.split(";")) {
      const seg: number[] = [];
      let gen = 0;
      for (const s of group.split(",")) {
        if (!s) continue;
        const v = decodeVlq(s);
        gen += v[0];
        if (v.length >= 4) {
          src += v[1]; line += v[2]; col += v[3];
          seg.push(gen, src, line);
        }
      }
      this.lines.push(Int32Array.from(seg));
    }
  }

  static async fetch(url: string): Promise<SourceMap> {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url}: ${r.status}`);
    return new SourceMap(await r.json() as RawSourceMap);
  }

  /** The original position of a 0-based generated line and column. */
  lookup(line: number, column: number): { source: string; line: number } | undefined {
    const seg = this.lines[line];
    if (!seg || !seg.length) return undefined;
    let best = 0;
    for (let i = 0; i < seg.length; i += 3) { if (seg[i] <= column) best = i; else break; }
    return { source: this.raw.sources[seg[best + 1]], line: seg[best + 2] };
  }
}

export function decodeVlq(s: string): number[] {
  const out: number[] = [];
  let value = 0, shift = 0;
  for (let i = 0; i < s.length; i++) {
    const d = DIGIT[s.charCodeAt(i)];
    if (d < 0) throw new Error(`bad VLQ digit '${s[i]}'`);
    value += (d & 31) << shift;
    if (d & 32) { shift += 5; continue; }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0; shift = 0;
  }
  return out;
}
