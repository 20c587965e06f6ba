import { statusOf, type GitHubClient } from "./client.js";
import type { Repo } from "./evidence.js";
import { explainWriteFailure, type WriteOutcome } from "./publish.js";

/** The labels capgate owns begin so; no other label is touched. */
export const LABEL_PREFIX = "capgate:";

const COLORS: Record<string, string> = {
  "capgate:chat": "c5def5",
  "capgate:tools": "bfdadc",
  "capgate:write": "fbca04",
  "capgate:autonomous": "d93f0b",
  "capgate:governance": "5319e7",
  "capgate:escalation": "b60205",
};

/**
 * Puts exactly `wanted` of capgate's labels on a pull request: adds the missing ones (creating a
 * label the repository lacks) and removes capgate's others. Best effort: a failure is reported,
 * never decides anything.
 */
export async function syncLabels(
  client: GitHubClient,
  repo: Repo,
  pull: number,
  wanted: readonly string[],
): Promise<WriteOutcome> {
  try {
    const { data } = await client.rest.issues.listLabelsOnIssue({ ...repo, issue_number: pull, per_page: 100 });
    const have = new Set(data.map((l) => l.name).filter((n) => n.startsWith(LABEL_PREFIX)));
    for (const name of have)
      if (!wanted.includes(name)) await client.rest.issues.removeLabel({ ...repo, issue_number: pull, name });
    const missing = wanted.filter((n) => !have.has(n));
    for (const name of missing) await ensureLabel(client, repo, name);
    if (missing.length) await client.rest.issues.addLabels({ ...repo, issue_number: pull, labels: [...missing] });
    return { ok: true, detail: `labels: ${wanted.length ? wanted.join(", ") : "none of capgate's"}` };
  } catch (e) {
    return { ok: false, detail: explainWriteFailure("the pull request's labels", e) };
  }
}

async function ensureLabel(client: GitHubClient, repo: Repo, name: string): Promise<void> {
  try {
    await client.rest.issues.getLabel({ ...repo, name });
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
    await client.rest.issues.createLabel({
      ...repo,
      name,
      color: COLORS[name] ?? "ededed",
      description:
        name === "capgate:escalation"
          ? "An agent gains capability (capgate)"
          : "Highest capability tier this change touches (capgate)",
    });
  }
}

/** The labels a decision calls for: its highest tier, and whether an agent escalates. */
export function labelsFor(d: { tier: string | null; escalations: readonly unknown[] }): string[] {
  return [
    ...(d.tier ? [`${LABEL_PREFIX}${d.tier}`] : []),
    ...(d.escalations.length ? [`${LABEL_PREFIX}escalation`] : []),
  ];
}
