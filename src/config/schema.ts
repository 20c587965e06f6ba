import * as z from "zod";
import { normalizeRef } from "../common/paths.js";
import { CAPABILITY_TIERS } from "./ladder.js";

export const ARTIFACT_KINDS = ["prompt", "skill", "tool", "mcp", "agent"] as const;
export type ConfiguredArtifactKind = (typeof ARTIFACT_KINDS)[number];

/**
 * Where an agent is declared that a config may name globs for: capgate's own manifest, or the
 * files an agent runtime reads.
 */
export const AGENT_SOURCES = ["capgate", "claude-code", "claude-settings", "copilot"] as const;
export type ConfiguredSource = (typeof AGENT_SOURCES)[number];

/**
 * Every kind of agent declaration: those a config names, and those only a runtime's own files
 * make — a Claude Code plugin's session (what its commands, skills, hooks and servers give the
 * session that installs it), a prompt that binds tools — and the agents of the runtimes a config
 * names no places for (a Codex or Gemini CLI session, an agent a workflow step runs).
 */
export const ALL_AGENT_SOURCES = [
  ...AGENT_SOURCES,
  "claude-plugin",
  "prompt",
  "codex",
  "gemini",
  "kiro",
  "cursor",
  "opencode",
  "ci-agent",
] as const;
export type AgentSource = (typeof ALL_AGENT_SOURCES)[number];

/** A glob; picomatch refuses patterns over 64 KiB, and no real one comes near this. */
const glob = z.string().min(1).max(4096);
const globList = z.array(glob).min(1);
/** A glob of the repository's files: matched against paths from its top, so never above it. */
const repoGlob = glob.refine(
  (g) => !g.startsWith("/") && !g.split("/").includes(".."),
  "a glob of paths from the repository's top (no leading /, no ..)",
);
const repoGlobList = z.array(repoGlob).min(1);
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a name of letters, digits, '.', '_' or '-'");
const rate = z.number().min(0).max(1);

/** A user login, or an `@org/team` slug resolved through the API (or the approvals file's `teams`). */
export const memberSchema = z
  .string()
  .regex(
    /^(@[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*|[A-Za-z0-9][A-Za-z0-9-]*)$/,
    "a login or an @org/team slug",
  );

const approvalRule = z.union([
  z.number().int().min(1).max(50),
  z.strictObject({
    count: z.number().int().min(1).max(50),
    from: z.array(name).min(1),
  }),
]);

/** A file of the repository, named from its top as git names it (no `./`, `..`, leading or trailing `/`). */
const repoPath = z
  .string()
  .min(1)
  .max(4096)
  .refine(
    (p) => normalizeRef(p) === p,
    "a path from the repository's top, as git names it (no ./, .., leading or trailing /)",
  );

const tierRequirements = z.strictObject({
  evals: z.array(name).optional(),
  approvals: z.union([approvalRule, z.array(approvalRule).min(1)]).optional(),
  files: z.array(repoPath).optional(),
});

const suite = z.strictObject({
  files: repoGlobList,
  results: z.union([glob, globList]),
  min_pass_rate: rate.optional(),
  min_cases: z.number().int().min(0).optional(),
  canaries: z.boolean().optional(),
  slices: z.strictObject({ by: z.string().min(1), min_pass_rate: rate }).optional(),
  metrics: z
    .record(
      z.string().min(1),
      z
        .strictObject({ min: z.number().optional(), max: z.number().optional() })
        .refine((b) => b.min !== undefined || b.max !== undefined, "give min, max or both"),
    )
    .optional(),
  holdout: z.boolean().optional(),
  trust_committed_results: z.boolean().optional(),
  baseline: z.union([glob, globList]).optional(),
  max_drop: rate.optional(),
  /** A case scored with a number or a partial credit (Inspect) passes at this score or above. */
  pass_score: z.number().min(0).optional(),
});

const tierName = z.enum([...CAPABILITY_TIERS, "governance"]);

export const configSchema = z
  .strictObject({
    version: z.literal(1),
    /**
     * A central policy this config adds to and never weakens: `OWNER/REPO/PATH@REF`, read through
     * the API by the action (a path on disk for the CLI). Every requirement of both applies.
     */
    extends: z
      .string()
      .min(1)
      .max(1000)
      .refine((s) => !/[\n\r]/.test(s), "one line")
      .optional(),
    ladder: z
      .array(z.enum(CAPABILITY_TIERS))
      .length(CAPABILITY_TIERS.length)
      .refine((l) => new Set(l).size === l.length, "each tier once")
      .optional(),
    artifacts: z
      .strictObject({
        prompt: repoGlobList.optional(),
        skill: repoGlobList.optional(),
        tool: repoGlobList.optional(),
        mcp: repoGlobList.optional(),
        // A list: capgate's own manifests. A map: the globs of each source (`[]` reads none of it).
        agent: z
          .union([
            repoGlobList,
            z.strictObject({
              capgate: z.array(repoGlob).optional(),
              "claude-code": z.array(repoGlob).optional(),
              "claude-settings": z.array(repoGlob).optional(),
              copilot: z.array(repoGlob).optional(),
            }),
          ])
          .optional(),
      })
      .optional(),
    classify: z
      .strictObject({
        read_only: z.array(glob).optional(),
        writing: z.array(glob).optional(),
      })
      .optional(),
    /**
     * The lowest tier at which a server whose launcher can change under the repository (`npx pkg`
     * without an exact version, an image by tag, a remote address) must be pinned; `none`: never.
     */
    pins: z.enum([...CAPABILITY_TIERS, "none"]).optional(),
    /**
     * Who may approve: a list of logins and `@org/team`s, or `codeowners`: the owners CODEOWNERS
     * (at base) gives each changed gated file, each file needing one of its owners.
     */
    groups: z.record(name, z.union([z.array(memberSchema), z.literal("codeowners")])).optional(),
    suites: z.record(name, suite).optional(),
    tiers: z.partialRecord(tierName, tierRequirements).optional(),
  })
  .superRefine((config, ctx) => {
    const suites = new Set(Object.keys(config.suites ?? {}));
    const groups = new Set(Object.keys(config.groups ?? {}));
    for (const [tier, req] of Object.entries(config.tiers ?? {})) {
      if (!req) continue;
      for (const [i, s] of (req.evals ?? []).entries()) {
        if (!suites.has(s)) {
          ctx.addIssue({
            code: "custom",
            path: ["tiers", tier, "evals", i],
            message: `no suite named "${s}" in suites`,
          });
        }
      }
      const rules = Array.isArray(req.approvals) ? req.approvals : req.approvals === undefined ? [] : [req.approvals];
      rules.forEach((rule, i) => {
        if (typeof rule === "number") return;
        for (const g of rule.from) {
          if (!groups.has(g)) {
            ctx.addIssue({
              code: "custom",
              path: ["tiers", tier, "approvals", ...(Array.isArray(req.approvals) ? [i] : []), "from"],
              message: `no group named "${g}" in groups`,
            });
          }
        }
      });
    }
  });

export type Config = z.infer<typeof configSchema>;
export type SuiteConfig = NonNullable<Config["suites"]>[string];
export type TierRequirements = z.infer<typeof tierRequirements>;
export type ApprovalRuleConfig = z.infer<typeof approvalRule>;
