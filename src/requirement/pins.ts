import { LOCK_PATH } from "../artifact/lock.js";
import type { PinNeed } from "../analysis/pins.js";
import type { Requirement } from "./types.js";

/**
 * A server that must be pinned: met by an exact package or image digest, or, for a remote server
 * (whose address pins nothing), by its entry in `capgate.lock`; unmet, it says how to pin it.
 */
export function pinRequirement(n: PinNeed): Requirement {
  const base = {
    kind: "pin" as const,
    id: `pin:${n.id}`,
    tiers: n.tiers,
    summary: `MCP server ${n.server} is pinned: what it gives cannot change without a reviewed change`,
    path: n.path,
  };
  const lock = n.locked
    ? `its tools are locked in ${LOCK_PATH} (server version ${n.locked.version})`
    : `${LOCK_PATH} does not hold it as ${n.path} starts it, so its tools count as unknown; \`capgate pin\` locks them`;
  switch (n.pin.state) {
    case "exact":
      return { ...base, status: "met", detail: `runs ${n.pin.package}, an exact version; ${lock}` };
    case "remote":
      return n.locked
        ? {
            ...base,
            status: "met",
            detail: `a remote server (${n.pin.url}); ${lock}, and \`capgate pin --check\` on a schedule catches it changing`,
          }
        : {
            ...base,
            status: "missing",
            detail: `a remote server (${n.pin.url}) can change its tools at any time, and ${LOCK_PATH} does not hold it as ${n.path} reaches it: run \`capgate pin\` and commit ${LOCK_PATH} (then \`capgate pin --check\` on a schedule), or set \`pins: none\``,
          };
    case "unpinned": {
      const version = n.locked ? ` (the lock saw server version ${n.locked.version})` : "";
      return {
        ...base,
        status: "missing",
        detail: `${n.pin.why}: in ${n.path}, ${n.pin.fix}${version}, then run \`capgate pin\` and commit ${LOCK_PATH}`,
      };
    }
  }
}
