import { posix } from "node:path";
import { isMap } from "../../artifact/prompt.js";
import { normalizeRef } from "../../common/paths.js";
import { placeMatcher } from "../../config/glob.js";
import { parseData } from "../../parse/document.js";
import { NOTHING_FOUND, type Discovery, type Listing, type RuntimePlaces } from "../places.js";
import { scriptsOf } from "../scripts.js";
import { AGENT_ACTIONS, agentSteps, input } from "./steps.js";

/**
 * What GitHub Actions runs from the repository: its workflows, the local actions they use
 * (`uses: ./path`, and `.github/actions/**`), and the scripts their steps name. All of it is CI,
 * and CI is governance: a change to a local action or a script a workflow runs is a change to the
 * workflow (GitHub's workflow syntax: `jobs.<id>.steps[].uses`, `.run`, `jobs.<id>.uses`;
 * composite actions' `runs.steps`). A step that runs an agent (`steps.ts`) is an agent besides,
 * read from the workflow (`agents.ts`).
 */

const WORKFLOWS = placeMatcher([".github/workflows/*.{yml,yaml}"]);
const ACTIONS = ".github/actions";

/** The variables a step's command names the repository's top with. */
const WORKSPACE = { GITHUB_WORKSPACE: "", "github.workspace": "" };

export const ciPlaces: RuntimePlaces = {
  top: [".github"],
  folders: () => [],
  discover(listing: Listing, read): Discovery {
    const workflows = [...listing.files.keys()].filter((p) => WORKFLOWS(p));
    const actionFiles = [...listing.files.keys()].filter((p) => /(^|\/)action\.ya?ml$/i.test(p));
    const unread = [...workflows, ...actionFiles].filter((p) => read(p) === null);
    if (unread.length) return { found: NOTHING_FOUND, more: { roots: [], read: unread } };
    const governance = new Set<string>([`${ACTIONS}/`]);
    const pending: string[] = [];
    for (const w of workflows) for (const p of usedBy(w, read(w) ?? "", "workflow")) take(p, governance, pending);
    // A local action used from a workflow runs its own steps: what they use and name is CI too.
    const seen = new Set<string>();
    const more: string[] = [];
    while (pending.length) {
      const folder = pending.shift()!;
      if (seen.has(folder)) continue;
      seen.add(folder);
      const file = ["action.yml", "action.yaml"].map((f) => `${folder}/${f}`).find((f) => listing.files.has(f));
      if (!file) {
        if (!listing.covers(folder)) more.push(folder);
        continue;
      }
      const text = read(file);
      if (text === null) continue;
      for (const p of usedBy(file, text, "action")) take(p, governance, pending);
    }
    // A step that runs an agent is an agent at the workflow's path, beside the workflow's governance.
    // Run without settings of its own, Gemini CLI reads the repository's.
    const geminiSettings = [...listing.files.keys()].filter((p) => /^\.gemini\/settings\.json$/i.test(p));
    const agents = workflows.flatMap((w) =>
      agentSteps(w, read(w) ?? "").map((s) => {
        const own = AGENT_ACTIONS[s.action] === "gemini" && !(input(s, "settings") ?? "").trim();
        return { path: s.path, source: "ci-agent" as const, files: [w, ...(own ? geminiSettings : [])] };
      }),
    );
    return {
      found: { ...NOTHING_FOUND, agents, governance: [...governance].sort() },
      more: { roots: more, read: [] },
    };
  },
};

/** Records what a workflow or action runs: a folder (`dir/`) or a file; a local action's folder is read in turn. */
function take(path: string, governance: Set<string>, pending: string[]): void {
  if (path.endsWith("/")) {
    governance.add(path);
    pending.push(path.slice(0, -1));
  } else governance.add(path);
}

/** The local actions (as `folder/`) and the files a workflow's or a composite action's steps run. */
function usedBy(path: string, text: string, what: "workflow" | "action"): string[] {
  const doc = parseData(path, text, 0, { repeatedKeys: "last" });
  if (!doc.ok || !isMap(doc.value)) return [];
  const steps: unknown[] = [];
  const out: string[] = [];
  if (what === "workflow" && isMap(doc.value.jobs))
    for (const job of Object.values(doc.value.jobs)) {
      if (!isMap(job)) continue;
      if (typeof job.uses === "string") out.push(...local(job.uses));
      if (Array.isArray(job.steps)) steps.push(...job.steps);
    }
  if (what === "action" && isMap(doc.value.runs) && Array.isArray(doc.value.runs.steps))
    steps.push(...doc.value.runs.steps);
  for (const step of steps) {
    if (!isMap(step)) continue;
    if (typeof step.uses === "string") out.push(...local(step.uses));
    if (typeof step.run === "string")
      out.push(
        ...scriptsOf(
          step.run,
          what === "action" ? { ...WORKSPACE, "github.action_path": posix.dirname(path) } : WORKSPACE,
        ),
      );
  }
  return out;
}

/** A `uses:` that names something of the repository: a local action's folder, or a reusable workflow. */
function local(uses: string): string[] {
  if (!uses.startsWith("./")) return [];
  const n = normalizeRef(uses.split("@")[0]!);
  if (n === null) return [];
  return /\.ya?ml$/i.test(n) ? [n] : [`${n}/`];
}
