import * as z from "zod";
import type { Decision } from "../decision/decision.js";
import { ALL_AGENT_SOURCES } from "../config/schema.js";
import type { DecisionInput, FileState, Loads, Snapshot } from "../input/types.js";
import { validate } from "../parse/document.js";
import type { Parsed } from "../parse/result.js";
import { toJsonReport, type JsonReport } from "./json.js";

/**
 * The decision record: the decision's whole input — the config, both revisions as they were read,
 * the change and the evidence — and the report made from it. `capgate replay` decides again from
 * the input alone and must give the same report. A blob read at both revisions is stored once.
 */
export interface DecisionRecord {
  capgate: "record/v3";
  /** Where and for what the decision was made (not part of what it was made from). */
  context: Record<string, unknown>;
  input: RecordedInput;
  report: JsonReport;
}

type RecordedFile =
  | { state: "file"; oid: string }
  | { state: "opaque"; oid: string; reason: string }
  | { state: "absent" }
  | { state: "error"; reason: string }
  | { state: "unseen"; reason: string }
  | { state: "folder"; oid: string };

interface RecordedSnapshot {
  sha: string;
  files: Record<string, RecordedFile>;
  agents: string[];
  mcpConfigs: string[];
  skills?: string[];
  commands?: string[];
  loads?: Loads;
}

interface RecordedInput extends Omit<DecisionInput, "base" | "head"> {
  base: RecordedSnapshot;
  head: RecordedSnapshot;
  /** Blob id → text, for every file read. */
  blobs: Record<string, string>;
}

export function toRecord(
  input: DecisionInput,
  decision: Decision,
  context: Record<string, unknown> = {},
): DecisionRecord {
  const blobs: Record<string, string> = Object.create(null) as Record<string, string>;
  return {
    capgate: "record/v3",
    context,
    input: { ...input, base: recordSnapshot(input.base, blobs), head: recordSnapshot(input.head, blobs), blobs },
    report: toJsonReport(decision),
  };
}

/**
 * The record of a run that blocked before it could read the decision's input (an unreadable
 * event, a revision that cannot be fetched): what happened, and nothing to replay.
 */
export function unreadRecord(
  context: Record<string, unknown>,
  reason: string | null,
): { capgate: "record/v3"; context: Record<string, unknown>; report: { decision: "block"; reason: string | null } } {
  return { capgate: "record/v3", context, report: { decision: "block", reason } };
}

function recordSnapshot(s: Snapshot, blobs: Record<string, string>): RecordedSnapshot {
  const files: Record<string, RecordedFile> = Object.create(null) as Record<string, RecordedFile>;
  for (const [path, f] of s.files) {
    if (f.state === "file") {
      blobs[f.oid] = f.text;
      files[path] = { state: "file", oid: f.oid };
    } else files[path] = f;
  }
  return {
    sha: s.sha,
    files,
    agents: [...s.agents],
    mcpConfigs: [...s.mcpConfigs],
    ...(s.skills ? { skills: [...s.skills] } : {}),
    ...(s.commands ? { commands: [...s.commands] } : {}),
    ...(s.loads ? { loads: s.loads } : {}),
  };
}

const recordedFile = z.union([
  z.strictObject({ state: z.literal("file"), oid: z.string() }),
  z.strictObject({ state: z.literal("opaque"), oid: z.string(), reason: z.string() }),
  z.strictObject({ state: z.literal("absent") }),
  z.strictObject({ state: z.literal("error"), reason: z.string() }),
  z.strictObject({ state: z.literal("unseen"), reason: z.string() }),
  z.strictObject({ state: z.literal("folder"), oid: z.string() }),
]);
const recordedLoads = z.strictObject({
  agents: z.record(
    z.string(),
    z.strictObject({
      source: z.enum(ALL_AGENT_SOURCES),
      files: z.array(z.string()).optional(),
      plugin: z.string().optional(),
    }),
  ),
  unseen: z.record(z.string(), z.string()),
  links: z.record(z.string(), z.string()),
  mcpConfigs: z.array(z.string()),
  governance: z.array(z.string()),
  plugins: z.array(
    z.strictObject({
      name: z.string(),
      root: z.string(),
      manifest: z.string().nullable(),
      marketplace: z.strictObject({ path: z.string(), entry: z.string() }).nullable(),
      session: z.string(),
      unseen: z.string().optional(),
      refused: z.string().optional(),
      agents: z.array(z.string()),
      commands: z.array(z.string()),
      skills: z.array(z.string()),
      hooks: z.array(z.string()),
      mcp: z.array(z.string()),
    }),
  ),
});
const recordedSnapshot = z.strictObject({
  sha: z.string(),
  files: z.record(z.string(), recordedFile),
  agents: z.array(z.string()),
  mcpConfigs: z.array(z.string()),
  skills: z.array(z.string()).optional(),
  commands: z.array(z.string()).optional(),
  loads: recordedLoads.optional(),
});
/** The shape checked here is the record's frame; what it holds is checked by the decision as it reads it. */
const recordSchema = z.looseObject({
  capgate: z.literal("record/v3"),
  input: z.looseObject({
    config: z.looseObject({ path: z.string(), raw: z.looseObject({}), source: z.enum(["base", "head", "file"]) }),
    base: recordedSnapshot,
    head: recordedSnapshot,
    blobs: z.record(z.string(), z.string()),
    changes: z.array(z.looseObject({})),
    evidence: z.looseObject({ approvals: z.looseObject({ ok: z.boolean() }) }),
  }),
  report: z.looseObject({}),
});

/** A record read back: its input as the decision takes it, and the report it holds. */
export function readRecord(path: string, data: unknown): Parsed<{ input: DecisionInput; report: unknown }> {
  const checked = validate(path, data, recordSchema, "capgate decision record (record/v3)");
  if (!checked.ok) return checked;
  const rec = data as DecisionRecord;
  const snapshot = (s: RecordedSnapshot): Snapshot => {
    const files = new Map<string, FileState>();
    for (const [p, f] of Object.entries(s.files)) {
      if (f.state !== "file") files.set(p, f);
      else {
        const text = Object.hasOwn(rec.input.blobs, f.oid) ? rec.input.blobs[f.oid] : undefined;
        files.set(
          p,
          text === undefined
            ? { state: "error", reason: `blob ${f.oid} is not in the record` }
            : { state: "file", oid: f.oid, text },
        );
      }
    }
    return {
      sha: s.sha,
      files,
      agents: s.agents,
      mcpConfigs: s.mcpConfigs,
      ...(s.skills ? { skills: s.skills } : {}),
      ...(s.commands ? { commands: s.commands } : {}),
      ...(s.loads ? { loads: s.loads } : {}),
    };
  };
  const { blobs: _blobs, base, head, ...rest } = rec.input;
  return {
    ok: true,
    value: { input: { ...rest, base: snapshot(base), head: snapshot(head) } as DecisionInput, report: rec.report },
  };
}
