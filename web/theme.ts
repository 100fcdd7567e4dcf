// The editor's colours, matched to the page (a dark theme of our own).
import { EditorView } from "@codemirror/view";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";

const view = EditorView.theme({
  "&": { color: "#dde", backgroundColor: "#17171c", fontSize: "13px", height: "100%" },
  ".cm-content": { caretColor: "#fff" },
  ".cm-gutters": { backgroundColor: "#202028", color: "#778", border: "none" },
  ".cm-activeLine": { backgroundColor: "#ffffff0a" },
  ".cm-activeLineGutter": { backgroundColor: "#ffffff10" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground": { backgroundColor: "#3a4a6a !important" },
  ".cm-scroller": { fontFamily: "ui-monospace, monospace" },
}, { dark: true });

const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword], color: "#c792ea" },
  { tag: [t.comment, t.lineComment, t.blockComment], color: "#7a8a7a", fontStyle: "italic" },
  { tag: [t.string, t.special(t.string)], color: "#c3e88d" },
  { tag: t.special(t.variableName), color: "#f5a97f" },
  { tag: [t.number], color: "#f78c6c" },
  { tag: [t.variableName, t.propertyName], color: "#dde" },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: "#82aaff" },
  { tag: [t.typeName, t.className], color: "#ffcb6b" },
  { tag: [t.labelName, t.meta, t.processingInstruction], color: "#89ddff" },
  { tag: [t.operator, t.punctuation], color: "#99a" },
  { tag: [t.atom, t.bool], color: "#ff9cac" },
]);

export const oneDarkish = [view, syntaxHighlighting(highlight)];
