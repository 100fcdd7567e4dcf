// Edit and run, page half: a CodeMirror 6 editor over the lesson's boot/*.S and
// kernel/*.ts (the page's own copies, from lab-sources), one editor state per
// file so each keeps its undo history; errors from the worker's assembler or
// esbuild are shown as lint diagnostics at their line.

import { EditorView, basicSetup } from "codemirror";
import { EditorState } from "@codemirror/state";
import { a64 } from "./a64mode.js";
import { javascript } from "@codemirror/lang-javascript";
import { setDiagnostics, lintGutter, type Diagnostic as CmDiagnostic } from "@codemirror/lint";
import { oneDarkish } from "./theme.js";
import type { Diagnostic } from "./protocol.js";

export class LabEditor {
  readonly view: EditorView;
  private states = new Map<string, EditorState>();
  private texts = new Map<string, string>();
  private diagnostics: Diagnostic[] = [];
  file: string;

  constructor(parent: HTMLElement, private readonly original: Record<string, string>, first: string, private readonly onChange: () => void) {
    this.file = first;
    this.view = new EditorView({ parent, state: this.stateFor(first) });
  }

  private stateFor(file: string): EditorState {
    let s = this.states.get(file);
    if (!s) {
      s = EditorState.create({
        doc: this.texts.get(file) ?? this.original[file] ?? "",
        extensions: [
          basicSetup, lintGutter(), oneDarkish,
          file.endsWith(".ts") ? javascript({ typescript: true }) : a64,
          EditorView.updateListener.of((u) => { if (u.docChanged) { this.texts.set(this.file, u.state.doc.toString()); this.onChange(); } }),
        ],
      });
      this.states.set(file, s);
    }
    return s;
  }

  open(file: string): void {
    if (file === this.file) return;
    this.states.set(this.file, this.view.state);
    this.file = file;
    this.view.setState(this.stateFor(file));
    this.showDiagnostics();
  }

  /** Replaces a file's text (as typing would). */
  setText(file: string, text: string): void {
    this.open(file);
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  text(file: string): string { return file === this.file ? this.view.state.doc.toString() : this.texts.get(file) ?? this.original[file] ?? ""; }

  /** The files that differ from the lesson's. */
  edited(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [f, t] of this.texts) if (t !== this.original[f]) out[f] = t;
    return out;
  }

  reset(): void {
    this.texts.clear();
    this.states.clear();
    this.view.setState(this.stateFor(this.file));
    this.setDiagnostics([]);
    this.onChange();
  }

  setDiagnostics(d: Diagnostic[]): void {
    this.diagnostics = d;
    if (d.length && !d.some((x) => x.file === this.file)) this.open(d[0].file in this.original ? d[0].file : this.file);
    this.showDiagnostics();
  }

  private showDiagnostics(): void {
    const doc = this.view.state.doc;
    const list: CmDiagnostic[] = this.diagnostics.filter((x) => x.file === this.file && x.line >= 1 && x.line <= doc.lines).map((x) => {
      const line = doc.line(x.line);
      const from = Math.min(line.from + Math.max(0, x.column - 1), line.to);
      return { from, to: line.to > from ? line.to : from, severity: "error", message: x.message };
    });
    this.view.dispatch(setDiagnostics(this.view.state, list));
    if (list.length) this.view.dispatch({ effects: EditorView.scrollIntoView(list[0].from, { y: "center" }) });
  }
}
