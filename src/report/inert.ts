/**
 * Rendering text that comes from the repository — paths, names, descriptions, case ids, reasons,
 * reviewer logins — into GitHub-flavoured Markdown so that it can only ever be read: it breaks no
 * line, opens no HTML, link, image or table cell, notifies nobody, references no issue and can
 * never spell capgate's own markers. Every Markdown surface (the pull-request comment, the job
 * summary, the check run, the release notes) renders through here.
 */

/** Longest piece of repository text shown in one place; the rest is cut with "…". */
export const MAX_SHOWN = 400;

/** Line breaks of every kind, and the other controls a terminal or renderer might act on. */
const BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;
/** Characters that reorder what is displayed (Trojan Source), shown instead of obeyed. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** Markdown's active ASCII punctuation, escaped with a backslash. */
const ACTIVE = /[\\`*_[\]()!|~$#{}^]/g;
/** Zero-width space: it breaks what GitHub would link after Markdown is rendered. */
const ZWSP = "\u200b";

/** The text on one line, at most `max` characters, with controls made visible. */
export function oneLine(text: string, max = MAX_SHOWN): string {
  let s = String(text).replace(BREAKS, " ").replace(/\t/g, " ").replace(CONTROLS, "\ufffd").replace(BIDI, "\ufffd");
  const chars = [...s];
  if (chars.length > max) s = chars.slice(0, max - 1).join("") + "…";
  return s;
}

/** Repository text as inert Markdown prose (safe in a table cell too). */
export function inert(text: string, max = MAX_SHOWN): string {
  return (
    oneLine(text, max)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(ACTIVE, (c) => `\\${c}`)
      // What GitHub links after rendering: @mentions, #references, bare URLs and e-mail addresses.
      .replace(/@/g, `@${ZWSP}`)
      .replace(/#/g, `#${ZWSP}`)
      .replace(/:\/\//g, `:${ZWSP}//`)
      .replace(/\b(www)\./gi, `$1${ZWSP}.`)
  );
}

/** Repository text as an inline code span; `inTable` escapes the pipes a table would split on. */
export function code(text: string, opts: { inTable?: boolean; max?: number } = {}): string {
  // Inside code nothing is interpreted, but the body must still never spell a marker.
  let s = oneLine(text, opts.max ?? MAX_SHOWN).replace(/<!--/g, `<${ZWSP}!--`);
  if (opts.inTable) s = s.replace(/\|/g, "\\|");
  const longest = Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = s.startsWith("`") || s.endsWith("`") || s.startsWith(" ") || s === "" ? " " : "";
  return `${fence}${pad}${s}${pad}${fence}`;
}

/**
 * Markdown built line by line within a length limit. Elements it opens (`<details>`) are closed
 * whatever is cut, lines are never cut in half, and what is left out is said at the end.
 */
export class BoundedMarkdown {
  private readonly lines: string[] = [];
  private readonly closers: string[] = [];
  private length = 0;
  private full = false;

  constructor(
    private readonly limit: number,
    /** The note that ends a cut document. */
    private readonly cutNote: string,
  ) {}

  private room(extra: string): boolean {
    const closing = this.closers.reduce((n, c) => n + c.length + 1, 0);
    return this.length + extra.length + 1 + closing + this.cutNote.length + 2 <= this.limit;
  }

  /** Adds a line; false once the document is full (later lines are dropped too). */
  line(text = ""): boolean {
    if (this.full) return false;
    if (!this.room(text)) {
      this.full = true;
      return false;
    }
    this.lines.push(text);
    this.length += text.length + 1;
    return true;
  }

  /** Opens an element that `close` (or the cut) closes. */
  open(text: string, closer: string): boolean {
    if (this.full || !this.room(text + closer)) {
      this.full = true;
      return false;
    }
    this.lines.push(text);
    this.length += text.length + 1;
    this.closers.push(closer);
    return true;
  }

  close(): void {
    const c = this.closers.pop();
    if (c === undefined) return;
    this.lines.push(c);
    this.length += c.length + 1;
  }

  get cut(): boolean {
    return this.full;
  }

  toString(): string {
    const out = [...this.lines, ...[...this.closers].reverse()];
    if (this.full) out.push("", this.cutNote);
    return out.join("\n") + "\n";
  }
}
