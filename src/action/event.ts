import * as z from "zod";
import { formatIssues } from "../parse/document.js";
import type { Settings } from "./inputs.js";

/** What one run gates, read from the event that started it. */
export type Target =
  | {
      kind: "pull_request";
      base: string;
      head: string;
      pull: number;
      author: string;
      /** Commits results may be bound to besides the head: the merge commit the job checked out. */
      extraAccepted: string[];
    }
  | {
      kind: "merge_group";
      base: string;
      head: string;
      pull: number;
      headRef: string;
    }
  | { kind: "push"; base: string | null; head: string; ref: string; forced: boolean }
  | { kind: "dispatch"; base: string; head: string; pull: number | undefined }
  /** A release: its notes get the capability changes since the release before it. */
  | { kind: "release"; tag: string; release: number | null; action: string };

/** What a check gates: every target but a release, whose run writes release notes. */
export type GateTarget = Exclude<Target, { kind: "release" }>;

export class EventError extends Error {}

const sha = z.string().regex(/^[0-9a-f]{40}$/);
const pullRequest = z.looseObject({
  number: z.number().int().positive(),
  user: z.looseObject({ login: z.string() }),
  base: z.looseObject({ sha }),
  head: z.looseObject({ sha }),
});
const prEvent = z.looseObject({ pull_request: pullRequest });
const mergeGroupEvent = z.looseObject({
  merge_group: z.looseObject({ head_sha: sha, head_ref: z.string(), base_sha: sha, base_ref: z.string().optional() }),
});
const pushEvent = z.looseObject({ before: sha, after: sha, ref: z.string(), forced: z.boolean().optional() });
const dispatchEvent = z.looseObject({ inputs: z.record(z.string(), z.unknown()).nullable().optional() });
const releaseEvent = z.looseObject({
  action: z.string(),
  release: z.looseObject({ id: z.number().int(), tag_name: z.string().min(1) }),
});

const ZERO = "0".repeat(40);

/** `gh-readonly-queue/<base>/pr-<N>-<sha>` → N. */
export function pullFromQueueRef(ref: string): number | null {
  const m = /(?:^|\/)gh-readonly-queue\/.+\/pr-(\d+)-[0-9a-f]{40}$/.exec(ref);
  return m ? Number(m[1]) : null;
}

export function readTarget(settings: Settings, payload: unknown): Target {
  const parse = <T>(schema: z.ZodType<T>): T => {
    const r = schema.safeParse(payload);
    if (!r.success)
      throw new EventError(
        `the ${settings.eventName} event payload is not as expected: ${formatIssues(r.error.issues)}`,
      );
    return r.data;
  };
  switch (settings.eventName) {
    case "pull_request":
    case "pull_request_target":
    case "pull_request_review": {
      const pr = parse(prEvent).pull_request;
      // pull_request jobs check out the merge commit (GITHUB_SHA); results made there are for this content.
      const extra =
        settings.eventName !== "pull_request_target" && settings.sha && settings.sha !== pr.head.sha
          ? [settings.sha]
          : [];
      return {
        kind: "pull_request",
        base: pr.base.sha,
        head: pr.head.sha,
        pull: pr.number,
        author: pr.user.login,
        extraAccepted: extra,
      };
    }
    case "merge_group": {
      const mg = parse(mergeGroupEvent).merge_group;
      const pull = pullFromQueueRef(mg.head_ref);
      if (pull === null)
        throw new EventError(
          `merge_group head_ref "${mg.head_ref}" does not name a pull request (gh-readonly-queue/<base>/pr-<N>-<sha>)`,
        );
      return { kind: "merge_group", base: mg.base_sha, head: mg.head_sha, pull, headRef: mg.head_ref };
    }
    case "push": {
      const p = parse(pushEvent);
      return {
        kind: "push",
        base: p.before === ZERO ? null : p.before,
        head: p.after,
        ref: p.ref,
        forced: p.forced === true,
      };
    }
    case "release": {
      const r = parse(releaseEvent);
      return { kind: "release", tag: r.release.tag_name, release: r.release.id, action: r.action };
    }
    case "workflow_dispatch": {
      const inputs = parse(dispatchEvent).inputs ?? {};
      const str = (k: string) =>
        typeof inputs[k] === "string" && inputs[k] !== "" ? (inputs[k] as string) : undefined;
      // A tag and no commits to compare: write that release's notes.
      const tag = settings.tag ?? str("tag");
      if (tag && !(settings.base ?? str("base"))) return { kind: "release", tag, release: null, action: "dispatch" };
      const base = settings.base ?? str("base");
      const head = settings.head ?? str("head") ?? settings.sha;
      if (!base || !head)
        throw new EventError("workflow_dispatch needs the base and head inputs (commits or refs to compare)");
      const pr = settings.pullRequest ?? (str("pull-request") ? Number(str("pull-request")) : undefined);
      return { kind: "dispatch", base, head, pull: pr };
    }
    default:
      throw new EventError(
        `capgate does not gate ${settings.eventName} events; run it on pull_request, pull_request_review, merge_group, push, release or workflow_dispatch`,
      );
  }
}
