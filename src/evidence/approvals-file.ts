import * as z from "zod";
import { parseWith } from "../parse/document.js";
import type { Parsed } from "../parse/result.js";
import { memberSchema } from "../config/schema.js";

/** The offline approvals file of `capgate check --approvals FILE` (see the README). */
export const approvalsFileSchema = z.strictObject({
  author: z.string().min(1),
  reviews: z.array(
    z.looseObject({
      user: z.union([z.string().min(1), z.looseObject({ login: z.string().min(1), type: z.string().optional() })]),
      state: z.enum(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]),
      commit_id: z.string().nullable().optional(),
      submitted_at: z.string().optional(),
    }),
  ),
  teams: z.record(memberSchema, z.array(z.string().min(1))).optional(),
});

export interface OfflineApprovals {
  author: string;
  reviews: { user: string; state: string; commitId: string | null; isBot: boolean }[];
  teams: Record<string, string[]>;
}

export function parseApprovalsFile(path: string, text: string): Parsed<OfflineApprovals> {
  const parsed = parseWith(path, text, approvalsFileSchema, "approvals file");
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  return {
    ok: true,
    value: {
      author: v.author,
      reviews: inOrder(v.reviews).map((r) => {
        const user = typeof r.user === "string" ? r.user : r.user.login;
        const isBot = typeof r.user === "object" && r.user.type === "Bot";
        return { user, state: r.state, commitId: r.commit_id ?? null, isBot };
      }),
      teams: v.teams ?? {},
    },
  };
}

/**
 * Reviews oldest first, as GitHub lists them: by `submitted_at` when every review carries a valid
 * one, else in the order given (a reviewer's latest review is the last of theirs).
 */
function inOrder<T extends { submitted_at?: string | undefined }>(reviews: readonly T[]): T[] {
  const times = reviews.map((r) => (r.submitted_at === undefined ? NaN : Date.parse(r.submitted_at)));
  if (times.some((t) => Number.isNaN(t))) return [...reviews];
  return reviews
    .map((r, i) => ({ r, t: times[i]!, i }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.r);
}
