/**
 * Safe output of strings that came from packets: host names, vendor strings, PAP/CHAP/EAP
 * names, phone numbers, Terminate and MS-CHAP texts reach the report's messages, details
 * and peer names as the peer sent them. Each output format escapes them for where they go;
 * the renderers pass every report string through these, so our own texts (codes, states,
 * addresses) pass unchanged and hostile ones cannot steer the terminal, the Markdown
 * renderer or Mermaid. JSON: see json.ts.
 */

/** Controls with a short escape everyone reads; the others become \xNN or \uNNNN. */
const NAMED_ESCAPES: Readonly<Record<string, string>> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/**
 * What a terminal acts on instead of printing, or what reorders or hides text:
 * C0 controls and DEL, C1 controls (U+0080-U+009F: 0x9B is CSI, so Latin-1 text can carry a
 * whole escape sequence), the Unicode bidirectional controls ("Trojan Source", CVE-2021-42574),
 * line/paragraph separators, the byte order mark, and unpaired surrogates (with the u flag a
 * pair is one code point, so the class only meets lone halves). ABOVE_C0 is the part that
 * JSON allows raw inside strings.
 */
const ABOVE_C0 = String.raw`\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff`;
const UNPRINTABLE = new RegExp(String.raw`[\u0000-\u001f${ABOVE_C0}\ud800-\udfff]`, "gu");
const UNPRINTABLE_ABOVE_C0 = new RegExp(`[${ABOVE_C0}]`, "g");

/** The string with every unprintable character written as a visible escape (\x1b, \n, \u202e). */
export function escapeTerminal(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const named = NAMED_ESCAPES[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/**
 * JSON text (JSON.stringify output) with DEL, C1, bidirectional controls and separators written
 * as \u escapes: JSON allows them raw in strings, where alone they can occur, so the value is
 * the same and the text safe to print. (Controls below U+0020 and lone surrogates
 * JSON.stringify escapes itself.)
 */
export function escapeJsonText(json: string): string {
  return json.replace(UNPRINTABLE_ABOVE_C0, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Characters that start Markdown or GitHub-flavoured Markdown inside a line: code spans,
 * emphasis, links and images, raw HTML and entities, table cell borders, strikethrough,
 * headings, math ($, GitHub), @mentions, and the backslash itself. CommonMark §2.4 lets a
 * backslash escape any ASCII punctuation, so each is written as "\c". Markers that only count
 * at the start of a line are escapeMarkdownLine's.
 */
const MARKDOWN_SPECIAL = /[\\`*_[\]<>&|~#$@]/g;

/**
 * GitHub-flavoured Markdown turns bare "scheme://..." and "www...." into links (the
 * autolink extension); an escaped ":" or "." before them keeps a packet's URL plain text.
 * (Mail addresses need nothing more: "@" is escaped above.)
 */
const AUTOLINK_START = /:(?=\/\/)|(?<![\w.])(www)\./gi;

/**
 * For Markdown text and table cells: unprintables made visible (no newline ends a line or a
 * cell), specials escaped, autolinks broken. What a renderer shows is the text as sent.
 */
export function escapeMarkdown(text: string): string {
  return escapeTerminal(text)
    .replace(MARKDOWN_SPECIAL, "\\$&")
    .replace(AUTOLINK_START, (_match, www: string | undefined) => (www ? `${www}\\.` : "\\:"));
}

/**
 * What makes a line a block other than a paragraph once the inline specials are escaped:
 * four spaces of indentation (code), "-", "+" and "=" (list items, thematic breaks, setext
 * underlines) and "1." / "1)" (ordered lists), CommonMark §4 and §5.
 */
const LINE_START_BLOCK = /^( *)([-+=]|\d+[.)])?/;

/**
 * For text that begins a line of its own (a paragraph): escapeMarkdown, leading spaces as
 * "&#32;" (a space that does not indent), and the marker's punctuation escaped.
 */
export function escapeMarkdownLine(text: string): string {
  return escapeMarkdown(text).replace(LINE_START_BLOCK, (_match, spaces: string, marker: string | undefined) =>
    "&#32;".repeat(spaces.length) + (marker ? `${marker.slice(0, -1)}\\${marker.slice(-1)}` : ""),
  );
}

/**
 * Characters Mermaid reads as syntax inside a sequence diagram's participant alias, message
 * or note text: ";" (like a newline) ends the statement, so "a; D->>C: b" would draw a second
 * arrow; "#" starts an entity code; "%" a directive ("%%{init: ...}%%" is honoured anywhere
 * in the text); quotes, angle brackets and "&" HTML in labels ("<br>", tags); "{" "}"
 * directive bodies; "`" the Markdown fence around the diagram. Mermaid's entity codes ("#35;"
 * is "#") are its documented way to write them. Arrows ("->>") and ":" are inert in text,
 * since a statement only begins at a line start, and ">" is escaped anyway; addresses and
 * states ("2001:db8::1", "not-seen") stay readable in the diagram source.
 */
const MERMAID_SPECIAL = /[;#%"'<>&{}`]/g;

/** For Mermaid texts: unprintables made visible, then syntax characters as entity codes "#NN;". */
export function escapeMermaid(text: string): string {
  return escapeTerminal(text).replace(MERMAID_SPECIAL, (c) => `#${c.charCodeAt(0)};`);
}
