// Syntax colouring for boot/*.S in the editor: GNU as for A64 with the C
// preprocessor, as our assembler reads it (// and /* */ comments, #include and
// #define, labels, directives, x/w registers, #immediates). CodeMirror's legacy
// "gas" mode takes '@' as ARM's comment character, which these files do not use.
import { StreamLanguage, type StreamParser } from "@codemirror/language";

interface State { inComment: boolean; lineStart: boolean }

const REGISTER = /^(?:[xw](?:[12]?\d|30)|[xw]zr|sp|wsp|lr|fp)\b/i;

const parser: StreamParser<State> = {
  name: "a64",
  startState: () => ({ inComment: false, lineStart: true }),
  token(stream, state) {
    if (stream.sol()) state.lineStart = true;
    if (state.inComment) {
      if (stream.skipTo("*/")) { stream.pos += 2; state.inComment = false; } else stream.skipToEnd();
      return "comment";
    }
    if (stream.eatSpace()) return null;
    const first = state.lineStart;
    state.lineStart = false;
    if (stream.match("//")) { stream.skipToEnd(); return "comment"; }
    if (stream.match("/*")) { state.inComment = true; return "comment"; }
    if (first && stream.match(/^#\s*\w+/)) return "meta";
    if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
    if (stream.match(/^#?-?(?:0x[\da-f]+|\d+)\b/i)) return "number";
    if (first && stream.match(/^[A-Za-z_.$][\w.$]*:/)) return "labelName";
    if (first && stream.match(/^\.[A-Za-z_]\w*/)) return "keyword";
    if (stream.match(REGISTER)) return "variableName.special";
    if (stream.match(/^\\\w+/)) return "atom"; // a macro argument
    if (first && stream.match(/^[A-Za-z_][\w.]*/)) return "keyword";
    if (stream.match(/^[A-Za-z_.$][\w.$]*/)) return "variableName";
    stream.next();
    return "punctuation";
  },
  languageData: { commentTokens: { line: "//", block: { open: "/*", close: "*/" } } },
};

export const a64 = StreamLanguage.define(parser);
