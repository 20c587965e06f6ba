import { short } from "../common/ids.js";
import { own } from "../common/records.js";
import type { Tier } from "../config/ladder.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { Approvals, Review } from "../input/types.js";
import type { Requirement } from "./types.js";
import { CODEOWNERS_PATHS, parseCodeowners } from "../config/codeowners.js";

export interface ApprovalRule {
  count: number;
  /** Group names; empty means anyone but the author and bots. */
  from: string[];
  tiers: Tier[];
}

export interface ReviewerState {
  user: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "DISMISSED";
  commitId: string | null;
  bot: boolean;
  /** Whether an approval counts, and why not when it does not. */
  counts: boolean;
  why: string;
}

const lower = (s: string) => s.toLowerCase();

/** The reviews as read. */
export type ReviewsRead = Extract<Approvals, { ok: true }>;

export function isBot(review: Review): boolean {
  return review.isBot === true || /\[bot\]$/i.test(review.user);
}

/**
 * The state of each reviewer: the latest review that decides something (approve, request
 * changes, dismissed); comments do not change a reviewer's state, as on GitHub.
 */
export function reviewerStates(
  evidence: ReviewsRead,
  head: string,
  gated: ReadonlySet<string>,
): Map<string, ReviewerState> {
  const latest = new Map<string, Review>();
  for (const r of evidence.reviews) {
    const state = r.state.toUpperCase();
    if (state !== "APPROVED" && state !== "CHANGES_REQUESTED" && state !== "DISMISSED") continue;
    latest.set(lower(r.user), { ...r, state });
  }
  const out = new Map<string, ReviewerState>();
  const author = lower(evidence.author);
  for (const [user, r] of latest) {
    const state = r.state as ReviewerState["state"];
    let counts = state === "APPROVED";
    let why = "";
    if (user === author) {
      counts = false;
      why = "the author never counts";
    } else if (isBot(r)) {
      counts = false;
      why = "bots never count";
    } else if (state === "APPROVED") {
      if (r.commitId === null || r.commitId === "") {
        counts = false;
        why = "the review names no commit";
      } else if (r.commitId !== head) {
        const changed = own(evidence.reviewedCommits, r.commitId);
        if (changed === undefined || changed === null) {
          counts = false;
          why = `approved ${short(r.commitId)}, a commit unknown here`;
        } else {
          const since = changed.filter((p) => gated.has(p));
          if (since.length > 0) {
            counts = false;
            why = `approved ${short(r.commitId)}, but gated files changed since: ${since.slice(0, 5).join(", ")}${since.length > 5 ? ", …" : ""}`;
          } else {
            why = `approved ${short(r.commitId)}; no gated file changed since`;
          }
        }
      } else {
        why = `approved ${short(head)}`;
      }
    }
    out.set(user, { user: r.user, state, commitId: r.commitId, bot: isBot(r), counts, why });
  }
  return out;
}

interface Members {
  logins: Set<string>;
  /** Lower-cased login → display login. */
  display: Map<string, string>;
  unresolved: string[];
}

function membersOf(groups: string[], config: ResolvedConfig, evidence: ReviewsRead): Members {
  const m: Members = { logins: new Set(), display: new Map(), unresolved: [] };
  for (const g of groups) for (const entry of config.groups.get(g) ?? []) addMember(m, entry, `group ${g}`, evidence);
  return m;
}

/** Adds a login, or an `@org/team`'s members (what cannot be read is said, with `where` it is named). */
function addMember(m: Members, entry: string, where: string, evidence: ReviewsRead): void {
  if (!entry.startsWith("@")) {
    m.logins.add(lower(entry));
    m.display.set(lower(entry), entry);
    return;
  }
  const team = own(evidence.teams, entry) ?? own(evidence.teams, lower(entry));
  if (!team) {
    const why = own(evidence.teamErrors, entry);
    m.unresolved.push(`${entry} (${where}${why ? `: ${why}` : ": membership not available"})`);
    return;
  }
  for (const login of team) {
    m.logins.add(lower(login));
    m.display.set(lower(login), login);
  }
}

/** A rule's requirement, met until found otherwise. */
function approvalRequirement(rule: ApprovalRule): Requirement {
  return {
    kind: "approval",
    id: `approval:${ruleId(rule)}`,
    status: "met",
    tiers: rule.tiers,
    summary: describeRule(rule),
    detail: "",
  };
}

export function ruleId(rule: { count: number; from: string[] }): string {
  return rule.from.length ? `${rule.count} from ${[...rule.from].sort().join("+")}` : `${rule.count} from anyone`;
}

/**
 * The approval requirements of the touched tiers: each rule on its own, from the latest deciding
 * review of each reviewer; and no outstanding request for changes from a member of a group a
 * touched tier names (from anyone, where a touched tier names none).
 */
export function approvalRequirements(
  rules: ApprovalRule[],
  evidence: Approvals,
  config: ResolvedConfig,
  head: string,
  gated: ReadonlySet<string>,
  touched: readonly Tier[] = [...new Set(rules.flatMap((r) => r.tiers))],
  /** For `codeowners` groups: the changed gated files, and CODEOWNERS at base. */
  owned: OwnedFiles = { files: [], codeowners: null },
): Requirement[] {
  if (rules.length === 0 && touched.length === 0) return [];
  if (!evidence.ok) return unreadable(rules, evidence.why, touched);
  const states = reviewerStates(evidence, head, gated);
  return [
    ...rules.map((rule) =>
      rule.from.some((g) => config.codeowners.has(g))
        ? ownersRequirement(rule, states, config, evidence, owned)
        : ruleRequirement(rule, states, config, evidence),
    ),
    ...changesRequested(rules, states, config, evidence, touched),
  ];
}

/** Without the reviews, no rule is met, and a request for changes cannot be ruled out either. */
function unreadable(rules: readonly ApprovalRule[], why: string, touched: readonly Tier[]): Requirement[] {
  if (rules.length === 0)
    return [
      {
        kind: "approval",
        id: "changes-requested",
        status: "missing",
        tiers: [...touched],
        summary: "no outstanding request for changes",
        detail: `${why}; whether anyone requested changes is unknown`,
      },
    ];
  return rules.map((rule) => ({ ...approvalRequirement(rule), status: "missing", detail: why }));
}

function ruleRequirement(
  rule: ApprovalRule,
  states: ReadonlyMap<string, ReviewerState>,
  config: ResolvedConfig,
  evidence: ReviewsRead,
): Requirement {
  const members = rule.from.length ? membersOf(rule.from, config, evidence) : null;
  const inRule = (s: ReviewerState) => !members || members.logins.has(lower(s.user));
  const approvers = [...states.values()].filter((s) => s.counts && inRule(s));
  const req = approvalRequirement(rule);
  const stale = [...states.values()].filter((s) => s.state === "APPROVED" && !s.counts && inRule(s));
  const staleText = stale.length ? `; not counted: ${stale.map((s) => `${s.user} (${s.why})`).join(", ")}` : "";
  if (members && members.unresolved.length > 0) {
    req.status = "missing";
    req.detail = `cannot resolve ${members.unresolved.join(", ")}; the rule stays unmet until the team can be read`;
    return req;
  }
  const got = approvers.map((s) => s.user);
  if (approvers.length >= rule.count) {
    req.detail = `approved by ${got.join(", ")}${staleText}`;
    return req;
  }
  const need = rule.count - approvers.length;
  const author = lower(evidence.author);
  const who = members
    ? [...members.logins]
        .filter((l) => l !== author && !approvers.some((a) => lower(a.user) === l))
        .map((l) => members.display.get(l) ?? l)
    : [];
  const plural = rule.from.length > 1;
  const eligible = who.length + approvers.length;
  // Fewer members besides the author than the rule asks for: no review can meet it.
  const unmeetable =
    members && who.length < need
      ? `; the ${plural ? "groups have" : "group has"} only ${eligible} eligible member${eligible === 1 ? "" : "s"} besides the author, so the rule cannot be met until ${plural ? "they grow" : "it grows"}`
      : "";
  req.status = "missing";
  req.detail =
    `${need} more approval${need > 1 ? "s" : ""}` +
    (rule.from.length
      ? ` from ${plural ? "groups" : "group"} ${rule.from.join(", ")}${who.length ? `: ${who.join(", ")}` : ""}`
      : " from any reviewer other than the author") +
    (got.length ? ` (have ${got.join(", ")})` : "") +
    unmeetable +
    staleText;
  return req;
}

/**
 * A latest "changes requested" blocks from a member of a group a touched tier's rules name, or
 * from anyone when some touched tier's rules name no group (each tier's own list).
 */
function changesRequested(
  rules: readonly ApprovalRule[],
  states: ReadonlyMap<string, ReviewerState>,
  config: ResolvedConfig,
  evidence: ReviewsRead,
  touched: readonly Tier[],
): Requirement[] {
  const author = lower(evidence.author);
  const named = [...new Set(rules.flatMap((r) => r.from))];
  // Owners by CODEOWNERS differ file by file: any reviewer's request for changes blocks there.
  const anyone =
    touched.some((t) => !rules.some((r) => r.tiers.includes(t) && r.from.length > 0)) ||
    named.some((g) => config.codeowners.has(g));
  const blockers = anyone ? null : membersOf(named, config, evidence);
  const out: Requirement[] = [];
  for (const s of states.values()) {
    if (s.state !== "CHANGES_REQUESTED" || lower(s.user) === author || s.bot) continue;
    if (blockers && !blockers.logins.has(lower(s.user))) continue;
    out.push({
      kind: "approval",
      id: `changes-requested:${s.user}`,
      status: "failed",
      tiers: [...touched],
      summary: `no outstanding request for changes${anyone ? "" : ` from ${named.join(", ")}`}`,
      detail: `${s.user} requested changes; their latest review must approve, or the review be dismissed`,
    });
  }
  return out;
}

/** What a `codeowners` group is judged on: the changed gated files, and CODEOWNERS at base (null: none). */
export interface OwnedFiles {
  files: readonly string[];
  codeowners: { path: string; text: string } | null;
}

/** Files named in a detail at most; the rest are counted. */
const FILES_SHOWN = 5;

/**
 * A rule whose groups include `codeowners`: each changed gated file needs `count` approvals from
 * its owners by CODEOWNERS at base (the last matching line's; teams resolved as groups' are), or
 * from the rule's other groups. A file CODEOWNERS gives no owner leaves the rule unmet, named.
 */
function ownersRequirement(
  rule: ApprovalRule,
  states: ReadonlyMap<string, ReviewerState>,
  config: ResolvedConfig,
  evidence: ReviewsRead,
  at: OwnedFiles,
): Requirement {
  const req = approvalRequirement(rule);
  const files = [...at.files].sort();
  const others = membersOf(
    rule.from.filter((g) => !config.codeowners.has(g)),
    config,
    evidence,
  );
  const ownersOf = at.codeowners ? parseCodeowners(at.codeowners.text) : () => [];
  const approvers = [...states.values()].filter((s) => s.counts);
  const short: string[] = [];
  const unresolved = new Set(others.unresolved);
  for (const file of files) {
    const owners = ownersOf(file);
    const m: Members = { logins: new Set(others.logins), display: new Map(), unresolved: [] };
    // A user owner is `@login`; a team is `@org/team`, read as a group's team is.
    for (const o of owners) addMember(m, o.includes("/") ? o : o.slice(1), "CODEOWNERS", evidence);
    m.unresolved.forEach((u) => unresolved.add(u));
    const got = approvers.filter((s) => m.logins.has(lower(s.user))).length;
    if (owners.length === 0 && others.logins.size === 0)
      short.push(
        `${file}: no owner in ${at.codeowners?.path ?? "CODEOWNERS"} (add an owner, or a catch-all line such as \`* @org/team\`)`,
      );
    else if (got < rule.count)
      short.push(
        `${file}: ${rule.count - got} more approval${rule.count - got > 1 ? "s" : ""} from its owners ${owners.join(", ") || "(none)"}`,
      );
  }
  if (at.codeowners === null) {
    req.status = files.length ? "missing" : "met";
    req.detail = `no CODEOWNERS at base (${CODEOWNERS_PATHS.join(", ")}): no changed gated file has an owner`;
    return req;
  }
  if (short.length === 0) {
    req.detail = `each of the ${files.length} changed gated file${files.length === 1 ? "" : "s"} approved by its owners (${at.codeowners.path} at base)`;
    return req;
  }
  req.status = "missing";
  const more =
    short.length > FILES_SHOWN
      ? `; and ${short.length - FILES_SHOWN} more file${short.length - FILES_SHOWN > 1 ? "s" : ""}`
      : "";
  const cannot = unresolved.size ? `; cannot resolve ${[...unresolved].slice(0, FILES_SHOWN).join(", ")}` : "";
  req.detail = `${short.slice(0, FILES_SHOWN).join("; ")}${more}${cannot}`;
  return req;
}

function describeRule(rule: { count: number; from: string[] }): string {
  const n = `${rule.count} approval${rule.count > 1 ? "s" : ""}`;
  return rule.from.length ? `${n} from ${rule.from.join(" or ")}` : `${n} from reviewers other than the author`;
}
