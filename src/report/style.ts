/** What a piece of the text report is, so that a terminal can show it in colour. */
export type Tone = "pass" | "block" | "warn" | "strong" | "dim";

/** Dresses text for its tone; the reports are the same words either way. */
export type Style = (tone: Tone, text: string) => string;

export const plain: Style = (_tone, text) => text;
