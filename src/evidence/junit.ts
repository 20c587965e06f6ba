import { loadOnUse } from "../common/load.js";
import { fail, ok, type Parsed } from "../parse/result.js";
import type { EvalCase, ResultSet } from "./cases.js";

type Xml = typeof import("fast-xml-parser");
let xml: { parser: InstanceType<Xml["XMLParser"]>; validator: Xml["XMLValidator"] } | undefined;

/**
 * The XML parser, loaded on the first JUnit report: no other run pays to load it. In the bundle
 * `require` is the bundle's own (the build points it at dist/vendor/); from the sources, Node's.
 */
function xmlParser(): NonNullable<typeof xml> {
  if (xml) return xml;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { XMLParser, XMLValidator } = loadOnUse<Xml>(() => require("fast-xml-parser"), "fast-xml-parser");
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    // Entities are never expanded: a JUnit report needs none, and a declared one is a bomb's fuse.
    processEntities: false,
    isArray: (name) => ["testsuite", "testcase", "property", "failure", "error"].includes(name),
  });
  return (xml = { parser, validator: XMLValidator });
}

type Node = Record<string, unknown>;

/**
 * JUnit XML, as pytest (`--junitxml`) and most test harnesses write it: each `testcase` a case
 * named `classname::name`, passing when it has no `failure` or `error` and was not `skipped` (a
 * skipped case is not evidence). `<property name="tags">` (comma-separated) and other properties
 * become tags and slices, as pytest's `record_property` writes them.
 */
export function parseJunit(path: string, text: string): Parsed<ResultSet> {
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    return fail(path, "an XML file with a DOCTYPE or entities is not a JUnit report");
  const { parser, validator } = xmlParser();
  const valid = validator.validate(text);
  if (valid !== true) return fail(path, `malformed XML: ${valid.err.msg}`, valid.err.line);
  const doc = parser.parse(text) as Node;
  const suites = doc.testsuites
    ? (((doc.testsuites as Node).testsuite as Node[] | undefined) ?? [])
    : (doc.testsuite as Node[] | undefined);
  if (!suites) return fail(path, "an XML file that is not a JUnit report (no testsuites or testsuite)");
  const cases: EvalCase[] = [];
  const walk = (suite: Node) => {
    for (const inner of (suite.testsuite as Node[] | undefined) ?? []) walk(inner);
    for (const tc of (suite.testcase as Node[] | undefined) ?? []) {
      const name = String(tc.name ?? "");
      const cls = tc.classname !== undefined ? `${String(tc.classname)}::` : "";
      const props = propertiesOf(tc);
      const tags = (props.tags ?? "")
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);
      delete props.tags;
      const failed = tc.failure !== undefined || tc.error !== undefined || tc.skipped !== undefined;
      cases.push({ id: `${cls}${name}`, pass: !failed, tags, slice: props });
    }
  };
  for (const s of suites) walk(s);
  return ok({ format: "junit", cases, metrics: {} });
}

function propertiesOf(tc: Node): Record<string, string> {
  const out: Record<string, string> = {};
  const props = (tc.properties as Node | undefined)?.property as Node[] | undefined;
  for (const p of props ?? []) if (typeof p.name === "string" && p.value !== undefined) out[p.name] = String(p.value);
  return out;
}
