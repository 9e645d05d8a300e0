/**
 * Reads a Mermaid sequence diagram back with Mermaid itself (devDependency "mermaid", which
 * parses in Node without a browser): mermaid.parse() is the validity check, and the parsed
 * diagram's participants and messages show what a reader would see, so a test can compare
 * them with what the renderer meant to draw.
 */
import mermaid from "mermaid";

export interface SequenceMessage {
  from: string;
  to: string;
  /** The text as displayed: Mermaid's entity codes decoded. */
  text: string;
  kind: "solid" | "dotted" | "note" | "other";
}

export interface ParsedSequence {
  participants: Array<{ id: string; description: string }>;
  messages: SequenceMessage[];
}

/** The part of Mermaid's sequence diagram database that the tests read (not in its typings). */
interface SequenceDb {
  getActors(): Map<string, { name: string; description: string }>;
  getMessages(): Array<{ from?: string; to?: string; message: string; type: number }>;
  LINETYPE: { SOLID: number; DOTTED: number; NOTE: number };
}

/**
 * Mermaid keeps an entity code "#59;" as a private placeholder until it draws (encodeEntities
 * in mermaid's source: numeric codes become "\ufb02\u00b0\u00b0" + digits + "\u00b6\u00df"); the SVG shows the character.
 */
function decodeEntities(text: string): string {
  return text.replace(/\ufb02\u00b0\u00b0(\d+)\u00b6\u00df/g, (_m, code: string) => String.fromCharCode(Number(code)));
}

/** Every ```mermaid block of a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** Parses one diagram; throws Mermaid's parse error when it is not valid. */
export async function parseSequence(text: string): Promise<ParsedSequence> {
  await mermaid.parse(text);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const db = diagram.db as unknown as SequenceDb;
  const kinds = new Map<number, SequenceMessage["kind"]>([
    [db.LINETYPE.SOLID, "solid"],
    [db.LINETYPE.DOTTED, "dotted"],
    [db.LINETYPE.NOTE, "note"],
  ]);
  return {
    participants: [...db.getActors().values()].map((a) => ({ id: a.name, description: decodeEntities(a.description) })),
    messages: db.getMessages().map((m) => ({ from: m.from ?? "", to: m.to ?? "", text: decodeEntities(m.message), kind: kinds.get(m.type) ?? "other" })),
  };
}
