import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The shape of `src/`, checked: folders in layers (a folder imports only from folders below it),
 * functions a reader can hold in their head, and no "pending" state.
 */

/** The folders of `src/`, lowest first: the pure core, then the shell around it. */
const LAYERS = [
  // shared helpers and the formats everything is parsed with
  "common",
  "parse",
  "config",
  "input",
  "artifact",
  "capability",
  "evidence",
  // the core: the change, what it reaches, the tier, escalations, versions, then requirements
  "snapshot",
  // what each agent runtime loads and how it reads it: a folder per runtime
  "runtime",
  "change",
  "reach",
  "tier",
  "agent",
  "escalation",
  "version",
  "analysis",
  "requirement",
  "plan",
  "decision",
  "report",
  // the shell
  "git",
  "github",
  "gather",
  // the live MCP servers `capgate pin` starts: never the gate's
  "pin",
  "cli",
  "action",
  // each door's start: the engine set, the bundle loaded with its compiled code
  "start",
];
const DECLARATIONS = "types";
const MAX_FUNCTION_LINES = 80;

const SRC = join(import.meta.dirname, "..", "src");

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

const folderOf = (file: string) => relative(SRC, file).split("/")[0]!;

function parsed(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
}

/** Every module an import, an export-from or a dynamic import names. */
function importsOf(sf: ts.SourceFile): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if (
      (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) &&
      n.moduleSpecifier &&
      ts.isStringLiteral(n.moduleSpecifier)
    )
      out.push(n.moduleSpecifier.text);
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = n.arguments;
      if (arg && ts.isStringLiteral(arg)) out.push(arg.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe("the layers of src/", () => {
  const files = sources();

  it("names every folder of src/ in a layer", () => {
    const folders = new Set(files.map(folderOf));
    const unplaced = [...folders].filter((f) => !LAYERS.includes(f) && f !== DECLARATIONS);
    expect(unplaced).toEqual([]);
    expect(LAYERS.filter((l) => !folders.has(l))).toEqual([]);
  });

  it("imports only from its own folder or the folders below it", () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      for (const spec of importsOf(parsed(file))) {
        if (!spec.startsWith(".")) continue;
        const target = join(file, "..", spec);
        const to = folderOf(target);
        if (to === from || to === DECLARATIONS) continue;
        if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) upward.push(`${relative(SRC, file)} → ${spec}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("keeps git, the network and the clock out of the core", () => {
    const core = LAYERS.slice(0, LAYERS.indexOf("report") + 1);
    const io: string[] = [];
    for (const file of files.filter((f) => core.includes(folderOf(f)))) {
      for (const spec of importsOf(parsed(file)))
        if (
          /^(node:)?(child_process|fs|fs\/promises|net|http|https)$/.test(spec) ||
          spec.startsWith("@actions/") ||
          spec.startsWith("@octokit/")
        )
          io.push(`${relative(SRC, file)} imports ${spec}`);
    }
    expect(io).toEqual([]);
  });
});

describe("the functions of src/", () => {
  it(`are each at most ${MAX_FUNCTION_LINES} lines`, () => {
    const long: string[] = [];
    for (const file of sources()) {
      const sf = parsed(file);
      const visit = (n: ts.Node) => {
        if (ts.isFunctionLike(n) && "body" in n && n.body) {
          const start = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
          const end = sf.getLineAndCharacterOfPosition(n.getEnd()).line;
          if (end - start + 1 > MAX_FUNCTION_LINES)
            long.push(`${relative(SRC, file)}:${start + 1} (${end - start + 1} lines)`);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    expect(long).toEqual([]);
  });

  it('leave no "pending" state: a read the decision lacks is a thrown bug', () => {
    const pending = sources().filter((f) => /["'`]pending["'`]/.test(readFileSync(f, "utf8")));
    expect(pending.map((f) => relative(SRC, f))).toEqual([]);
  });
});
