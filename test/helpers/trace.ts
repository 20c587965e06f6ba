import { readFileSync } from "node:fs";

/** One event of git's trace2 (`GIT_TRACE2_EVENT`), as much of it as the tests read. */
export interface Trace2Event {
  event: string;
  sid: string;
  argv?: string[];
  category?: string;
  key?: string;
}

/** The events git wrote to a trace2 file, one JSON object a line. */
export function trace2Events(file: string): Trace2Event[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Trace2Event);
}

/** The git commands the trace saw start, in order, each without the leading `git`. */
export function startedCommands(events: readonly Trace2Event[]): string[][] {
  return events.filter((e) => e.event === "start").map((e) => e.argv!.slice(1));
}
