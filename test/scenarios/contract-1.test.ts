import { describe, it } from "vitest";
import { scenarios } from "./contract.js";
import { checkScenario } from "./runner.js";

const half = scenarios.slice(0, Math.ceil(scenarios.length / 2));

describe("scenarios: capgate check on real repositories (1 of 2)", () => {
  it.each(half.map((s) => [s.name, s] as const))("%s", (_name, s) => checkScenario(s));
});
