import { z } from "zod";
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
      commit_id: z.string().nullable(),
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
      reviews: v.reviews.map((r) => {
        const user = typeof r.user === "string" ? r.user : r.user.login;
        const isBot = typeof r.user === "object" && r.user.type === "Bot";
        return { user, state: r.state, commitId: r.commit_id, isBot };
      }),
      teams: v.teams ?? {},
    },
  };
}
