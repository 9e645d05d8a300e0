import { marked } from "marked";
import { describe, expect, it } from "vitest";
import { escapeJsonText, escapeMarkdown, escapeMarkdownLine, escapeMermaid, escapeTerminal } from "../../src/report/escape.js";
import { renderJson } from "../../src/report/json.js";
import type { Report } from "../../src/report/schema.js";
import { HOSTILE } from "./hostile-capture.js";
import { parseSequence } from "./mermaid-check.js";

/** Code points a terminal acts on or that reorder text (C0, DEL, C1, bidi controls, separators, BOM). */
function isUnsafe(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    [0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0xfeff].includes(code) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** Hostile strings: the packet texts of the hostile capture and a few more. */
const HOSTILE_STRINGS = [
  ...Object.values(HOSTILE),
  "plain text",
  "\u202eevil\u202c and \u2066isolate\u2069",
  "line\u2028separator",
  "www.evil.example and https://evil.example/x and mail@evil.example",
  "![img](x) **bold** _em_ ~~strike~~ $x^2$ &lt;b&gt; <b>bold</b> # heading @everyone",
  "DOMAIN\\user",
  "C->>D: arrow -->> D; Note over C: x",
];

describe("escapeTerminal", () => {
  it("writes controls as visible escapes, ANSI sequences included", () => {
    expect(escapeTerminal("a\u001b[31mred\u001b[0m")).toBe("a\\x1b[31mred\\x1b[0m");
    // C1 CSI (0x9B) is what Latin-1 decoding of a packet byte 0x9B gives; DEL, NUL.
    expect(escapeTerminal("\u009b2J\u007f\u0000")).toBe("\\x9b2J\\x7f\\x00");
    expect(escapeTerminal("a\tb\nc\rd")).toBe("a\\tb\\nc\\rd");
    // Bidirectional override (Trojan Source), line separator, byte order mark.
    expect(escapeTerminal("\u202eabc\u2028\ufeff")).toBe("\\u202eabc\\u2028\\ufeff");
  });

  it("leaves printable text alone, Latin-1 letters, no-break space and surrogate pairs included", () => {
    const text = "caf\u00e9 \u00a0 \u00ff \ud83d\ude00 DOMAIN\\user";
    expect(escapeTerminal(text)).toBe(text);
  });

  it("writes lone surrogates as escapes", () => {
    expect(escapeTerminal("a\ud800b\udc00")).toBe("a\\ud800b\\udc00");
  });

  it("leaves no unsafe code unit in its output, for every code unit", () => {
    const wrong: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const out = escapeTerminal(String.fromCharCode(code));
      const unsafe = isUnsafe(code) || (code >= 0xd800 && code <= 0xdfff);
      const changed = out !== String.fromCharCode(code);
      const leftUnsafe = [...out].some((c) => isUnsafe(c.codePointAt(0)!) || (c.length === 1 && c >= "\ud800" && c <= "\udfff"));
      if (changed !== unsafe || leftUnsafe) wrong.push(`U+${code.toString(16)} -> ${JSON.stringify(out)}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("escapeMarkdown", () => {
  it("backslash-escapes the characters that start Markdown inline syntax", () => {
    expect(escapeMarkdown("a|b*c_`x` [link](http://x) <img>")).toBe("a\\|b\\*c\\_\\`x\\` \\[link\\](http\\://x) \\<img\\>");
    expect(escapeMarkdown("#1 ~~s~~ $x$ &amp; @team")).toBe("\\#1 \\~\\~s\\~\\~ \\$x\\$ \\&amp; \\@team");
    expect(escapeMarkdown("DOMAIN\\user")).toBe("DOMAIN\\\\user");
  });

  it("breaks GitHub autolinks (scheme:// and www.)", () => {
    expect(escapeMarkdown("see www.evil.example or ftp://x")).toBe("see www\\.evil.example or ftp\\://x");
  });

  it("makes controls visible first, so a newline cannot end the line or a table cell", () => {
    // escapeTerminal gives the two characters \ n; the backslash is then escaped for Markdown.
    expect(escapeMarkdown("a\nb")).toBe("a\\\\nb");
    expect(escapeMarkdown("\u001b[31m")).toBe("\\\\x1b\\[31m");
  });

  it("renders, by an outside Markdown renderer (marked, GFM), as the text itself and nothing else", () => {
    for (const s of HOSTILE_STRINGS) {
      const html = (marked.parse(`text: ${escapeMarkdown(s)}`, { gfm: true, async: false }) as string).trim();
      const htmlText = escapeTerminal(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
      expect(html, JSON.stringify(s)).toBe(`<p>text: ${htmlText}</p>`);
    }
  });

  it("keeps a table cell one cell (marked, GFM)", () => {
    for (const s of HOSTILE_STRINGS) {
      const html = marked.parse(`| a | b |\n|---|---|\n| ${escapeMarkdown(s)} | end |\n`, { gfm: true, async: false }) as string;
      const cells = [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]);
      expect(cells, JSON.stringify(s)).toHaveLength(2);
      expect(cells[1]).toBe("end");
    }
  });
});

describe("escapeMarkdownLine", () => {
  it("escapes a block marker at the start of the line (CommonMark §4, §5)", () => {
    expect(escapeMarkdownLine("- item")).toBe("\\- item");
    expect(escapeMarkdownLine("12. twelve")).toBe("12\\. twelve");
    expect(escapeMarkdownLine("    indented")).toBe("&#32;&#32;&#32;&#32;indented");
    expect(escapeMarkdownLine("a - b")).toBe("a - b");
  });

  it("renders (marked, GFM) as one paragraph holding the text", () => {
    const lines = ["    code", "- item", "+ plus", "1. one", "2) two", "---", "=== x", "  - nested", "> quote", "# heading", "```", ...HOSTILE_STRINGS];
    for (const s of lines) {
      // marked passes the entity for a leading space through; HTML shows it as a space.
      const html = (marked.parse(escapeMarkdownLine(s), { gfm: true, async: false }) as string).trim().replace(/&#32;/g, " ");
      const htmlText = escapeTerminal(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
      expect(html, JSON.stringify(s)).toBe(`<p>${htmlText}</p>`);
    }
  });
});

describe("escapeMermaid", () => {
  it("writes Mermaid syntax characters as entity codes", () => {
    expect(escapeMermaid("; --> #\nD->>C: x")).toBe("#59; --#62; #35;\\nD-#62;#62;C: x");
    expect(escapeMermaid("%%{init}%% \"q\" 'a' `f` <b> &")).toBe("#37;#37;#123;init#125;#37;#37; #34;q#34; #39;a#39; #96;f#96; #60;b#62; #38;");
    expect(escapeMermaid("2001:db8::1 not-seen")).toBe("2001:db8::1 not-seen");
  });

  it("gives exactly the participant, message and note meant, whose text Mermaid shows as sent", async () => {
    for (const s of HOSTILE_STRINGS) {
      const e = escapeMermaid(s);
      const diagram = ["sequenceDiagram", `  participant C as ${e}`, "  participant D as d", `  C->>D: ${e}`, `  Note over C,D: ${e}`].join("\n");
      const parsed = await parseSequence(diagram);
      const shown = escapeTerminal(s);
      expect(parsed.participants, JSON.stringify(s)).toEqual([{ id: "C", description: shown }, { id: "D", description: "d" }]);
      expect(parsed.messages, JSON.stringify(s)).toEqual([
        { from: "C", to: "D", text: shown, kind: "solid" },
        { from: "C", to: "D", text: shown, kind: "note" },
      ]);
    }
  });

  it("is needed: the raw text injects a second arrow", async () => {
    // The check above would catch a missing escape: ";" ends a statement in Mermaid.
    const parsed = await parseSequence("sequenceDiagram\n  participant C as c\n  participant D as d\n  C->>D: a; D->>C: injected\n");
    expect(parsed.messages.map((m) => [m.from, m.to, m.text])).toEqual([["C", "D", "a"], ["D", "C", "injected"]]);
  });
});

describe("JSON output", () => {
  it("stays valid JSON and valid UTF-8 with lone surrogates (JSON.stringify escapes them)", () => {
    const value = { name: "a\ud800b\udfffc" };
    const json = JSON.stringify(value);
    expect(json).toBe('{"name":"a\\ud800b\\udfffc"}');
    expect(Buffer.from(json, "utf8").toString("utf8")).toBe(json);
    expect(JSON.parse(json)).toEqual(value);
  });

  it("round-trips text decoded from invalid UTF-8 and from every Latin-1 byte", () => {
    const invalidUtf8 = new TextDecoder("utf-8").decode(Buffer.from([0x61, 0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]));
    const latin1 = Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString("latin1");
    const value = { invalidUtf8, latin1 };
    expect(JSON.parse(escapeJsonText(JSON.stringify(value)))).toEqual(value);
  });

  it("writes DEL, C1 and bidirectional controls as \\u escapes: the same value, nothing a terminal acts on", () => {
    expect(escapeJsonText(JSON.stringify({ v: "\u009b2J\u007f\u202e" }))).toBe('{"v":"\\u009b2J\\u007f\\u202e"}');
    const report = { schema: "pptp-analyze/1", findings: [{ message: HOSTILE_STRINGS.join(" ") }] } as unknown as Report;
    const json = renderJson(report);
    expect(JSON.parse(json)).toEqual(report);
    for (const c of json.replace(/\n/g, "")) expect(isUnsafe(c.codePointAt(0)!), `U+${c.codePointAt(0)!.toString(16)}`).toBe(false);
  });
});
