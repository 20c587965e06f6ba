import { readFileSync, writeFileSync } from "node:fs";
import { messageOf, UsageError } from "../common/errors.js";
import { decide, type Decision } from "../decision/decide.js";
import type { DecisionInput } from "../input/types.js";
import { describeError } from "../parse/result.js";
import { jsonText } from "../report/json.js";
import { readRecord, toRecord } from "../report/record.js";

/** Writes the decision record: its input, and the report made from it. */
export function writeRecord(path: string, input: DecisionInput, decision: Decision): void {
  try {
    writeFileSync(path, jsonText(toRecord(input, decision, { made_by: "capgate check" })));
  } catch (e) {
    throw new UsageError(`--record ${path}: cannot be written (${messageOf(e)})`, "bad_input");
  }
}

/** Decides again from a record alone. */
export function replayRecord(path: string): Decision {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UsageError(`${path}: cannot be read as JSON (${messageOf(e)})`, "bad_input");
  }
  const rec = readRecord(path, data);
  if (!rec.ok) throw new UsageError(describeError(rec.error), "bad_input");
  return decide(rec.value.input);
}
