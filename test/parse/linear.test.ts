import { describe, expect, it, vi } from "vitest";

/**
 * Duplicate keys are found in linear time: the YAML parser's own check compares every key with
 * every other, so capgate turns it off and finds repeats itself. Counted, not timed: every
 * document capgate parses is parsed with the parser's check off, and the keys capgate's own check
 * looks at grow with the mapping, one per key.
 */

const seen = vi.hoisted(() => ({ options: [] as unknown[], lookups: 0 }));

vi.mock("yaml", async (original) => {
  const yaml = await original<typeof import("yaml")>();
  return {
    ...yaml,
    parseDocument: (text: string, options: Record<string, unknown>) => {
      seen.options.push(options);
      const doc = yaml.parseDocument(text, options);
      // Count what capgate's check reads of each mapping: its keys, once each.
      yaml.visit(doc, {
        Map(_key, node) {
          for (const pair of node.items) {
            const key = pair.key;
            Object.defineProperty(pair, "key", {
              get() {
                seen.lookups++;
                return key;
              },
              configurable: true,
            });
          }
        },
      });
      return doc;
    },
  };
});

const { parseData } = await import("../../src/parse/document.js");

const mapping = (n: number) => Array.from({ length: n }, (_, i) => `k${i}: v`).join("\n") + "\n";

function lookupsFor(n: number): number {
  seen.lookups = 0;
  seen.options.length = 0;
  expect(parseData("big.yaml", mapping(n)).ok).toBe(true);
  expect(seen.options).toEqual([expect.objectContaining({ uniqueKeys: false })]);
  return seen.lookups;
}

describe("duplicate keys, counted", () => {
  it("the parser's quadratic check is off, and capgate's own reads each key a bounded number of times", () => {
    const small = lookupsFor(2_000);
    const large = lookupsFor(20_000);
    expect(small).toBeGreaterThanOrEqual(2_000);
    // Ten times the keys, ten times the reads: a constant per key, not one per pair of keys.
    expect(large).toBe(small * 10);
  });

  it("a repeated key is still found, by capgate's check", () => {
    const r = parseData("d.yaml", mapping(1_000) + "k500: again\n");
    expect(r).toMatchObject({ ok: false, error: { reason: 'duplicate key "k500": keys must be unique' } });
  });
});
