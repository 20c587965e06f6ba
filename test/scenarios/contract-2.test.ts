import { describe, it } from "vitest";
import { scenarios } from "./contract.js";
import { checkScenario } from "./runner.js";

const half = scenarios.slice(Math.ceil(scenarios.length / 2), scenarios.length);

describe("scenarios: capgate check on real repositories (2 of 2)", () => {
  it.each(half.map((s) => [s.name, s] as const))("%s", (_name, s) => checkScenario(s));
});
