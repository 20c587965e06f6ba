import type { Tier } from "../config/ladder.js";

export type RequirementKind = "eval" | "approval" | "file" | "holdout" | "version" | "pin" | "artifact";
export type RequirementStatus = "met" | "missing" | "failed";

export interface Requirement {
  kind: RequirementKind;
  /** Stable identifier, e.g. `eval:redteam`, `approval:write:1-from-ml`, `artifact:tools/x.json`. */
  id: string;
  status: RequirementStatus;
  /** The touched tiers that ask for it (empty for artifact and version rules). */
  tiers: Tier[];
  /** What is required, in words. */
  summary: string;
  /** What was found; when unmet, what would satisfy it. */
  detail: string;
  /** The file it concerns, for annotations. */
  path?: string;
  line?: number;
}
