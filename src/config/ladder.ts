/** The capability tiers, lowest first in the built-in ladder. `governance` is always on top. */
export const CAPABILITY_TIERS = ["chat", "tools", "write", "autonomous"] as const;
export type CapabilityTier = (typeof CAPABILITY_TIERS)[number];
export type Tier = CapabilityTier | "governance";

/** An ordering of the capability tiers; governance always ranks above all of them. */
export class Ladder {
  private readonly rank: ReadonlyMap<Tier, number>;

  constructor(readonly order: readonly CapabilityTier[] = CAPABILITY_TIERS) {
    const rank = new Map<Tier, number>();
    order.forEach((tier, index) => rank.set(tier, index));
    rank.set("governance", order.length);
    this.rank = rank;
  }

  get lowest(): CapabilityTier {
    return this.order[0] as CapabilityTier;
  }

  rankOf(tier: Tier): number {
    const r = this.rank.get(tier);
    if (r === undefined) throw new Error(`unknown tier ${tier}`);
    return r;
  }

  compare(a: Tier, b: Tier): number {
    return this.rankOf(a) - this.rankOf(b);
  }

  max<T extends Tier>(tiers: Iterable<T>): T | null {
    let best: T | null = null;
    for (const t of tiers) if (best === null || this.compare(t, best) > 0) best = t;
    return best;
  }

  /** Tiers sorted highest first. */
  sortDescending<T extends Tier>(tiers: Iterable<T>): T[] {
    return [...new Set(tiers)].sort((a, b) => this.compare(b, a));
  }
}
