import { micromark } from "micromark";
import { gfm, gfmHtml } from "micromark-extension-gfm";

/** GitHub-flavoured Markdown to HTML, raw HTML let through so that any that survives is seen. */
export function renderMarkdown(md: string): string {
  return micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()], allowDangerousHtml: true });
}

/** The text a reader sees in rendered HTML: tags dropped, entities decoded, zero-width spaces gone. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\u200b/g, "")
    .trim();
}

/** What a reader sees of a Markdown document. */
export function shown(md: string): string {
  return visibleText(renderMarkdown(md));
}
