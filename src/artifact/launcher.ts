import semver from "semver";
import type { Launch } from "./types.js";

/**
 * Whether what starts a server can change under the repository without a commit. A package
 * runner given a package without an exact version (`npx pkg`, `pkg@latest`, `pkg@^1`), `uvx` or
 * `pipx run` without `==`, a container image without `@sha256:`, and a remote server's address
 * can each give other tools tomorrow; an exact package, an image by digest, or a local program
 * cannot (a local program changes only with a commit, which the gate sees).
 */
export type LauncherPin =
  | { state: "local" }
  | { state: "exact"; package: string; name: string; version: string }
  | { state: "unpinned"; package: string; why: string; fix: string }
  | { state: "remote"; url: string };

/** Package runners: how each names its package, and how a version is pinned in that name. */
interface Runner {
  kind: "npm" | "python" | "image" | "nuget";
  /** The subcommand before the package (`pipx run`, `pnpm dlx`), when the runner needs one. */
  sub?: string[];
  /** Options whose value is the package (`npx --package pkg@1 cmd`, `uvx --from pkg==1 cmd`). */
  packageFlags?: string[];
}

const RUNNERS: Readonly<Record<string, Runner>> = {
  npx: { kind: "npm", packageFlags: ["-p", "--package"] },
  bunx: { kind: "npm", packageFlags: ["-p", "--package"] },
  pnpx: { kind: "npm" },
  pnpm: { kind: "npm", sub: ["dlx"] },
  yarn: { kind: "npm", sub: ["dlx"] },
  npm: { kind: "npm", sub: ["exec", "x"], packageFlags: ["-p", "--package"] },
  uvx: { kind: "python", packageFlags: ["--from"] },
  pipx: { kind: "python", sub: ["run"], packageFlags: ["--spec"] },
  docker: { kind: "image", sub: ["run"] },
  podman: { kind: "image", sub: ["run"] },
  dnx: { kind: "nuget" },
};

/** Container options that take the next argument as their value. */
const IMAGE_VALUE_FLAGS = new Set([
  "-e",
  "--env",
  "-v",
  "--volume",
  "--mount",
  "--name",
  "-p",
  "--publish",
  "-w",
  "--workdir",
  "--network",
  "--entrypoint",
  "-u",
  "--user",
  "--env-file",
  "-l",
  "--label",
  "--platform",
  "--pull",
]);

/** How a server's launcher is pinned, from how it is started. */
export function launcherPin(launch: Launch): LauncherPin {
  if (launch.url !== null) return { state: "remote", url: launch.url };
  const program = programOf(launch.command);
  // Windows configs start a runner through the shell: `cmd /c npx -y pkg` runs `npx -y pkg`.
  if (program === "cmd") {
    const at = launch.args.findIndex((a) => !/^\/[a-z]$/i.test(a));
    if (at > 0 && launch.args.slice(0, at).some((a) => a.toLowerCase() === "/c"))
      return launcherPin({ ...launch, command: launch.args[at]!, args: launch.args.slice(at + 1) });
  }
  const runner = program !== null && Object.hasOwn(RUNNERS, program) ? RUNNERS[program]! : null;
  if (runner === null) return { state: "local" };
  const pkg = packageArgument(launch.args, runner);
  if (pkg === null) return { state: "local" };
  const exact = exactVersion(pkg, runner.kind);
  if (exact) return { state: "exact", package: pkg, ...exact };
  return { state: "unpinned", package: pkg, ...howToPin(pkg, runner.kind, program!) };
}

const programOf = (command: string | null): string | null =>
  command === null
    ? null
    : command
        .split(/[\\/]/)
        .pop()!
        .replace(/\.(cmd|exe)$/i, "")
        .toLowerCase();

/** A package fetched from a git repository, pinned only by a commit (`git+https://…@<sha>`, `github:o/r#<sha>`). */
const GIT_SOURCE = /^(git\+|github:|gitlab:|git:\/\/|https?:\/\/.*\.git\b)/;
const COMMIT_PINNED = /[@#][0-9a-f]{40}$/;

/** The argument that names the package or image, or null when none does. */
function packageArgument(args: readonly string[], runner: Runner): string | null {
  const flags = runner.packageFlags ?? [];
  for (const [i, a] of args.entries()) {
    if (flags.includes(a) && args[i + 1] !== undefined) return args[i + 1]!;
    const eq = flags.find((f) => f.startsWith("--") && a.startsWith(`${f}=`));
    if (eq) return a.slice(eq.length + 1);
  }
  let i = 0;
  if (runner.sub) {
    const at = args.findIndex((a) => !a.startsWith("-"));
    if (at < 0 || !runner.sub.includes(args[at]!)) return null;
    i = at + 1;
  }
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") return args[i + 1] ?? null;
    if (a.startsWith("-")) {
      if (runner.kind === "image" && IMAGE_VALUE_FLAGS.has(a)) i++;
      continue;
    }
    return a;
  }
  return null;
}

/** The package's name and exact version, when it names one. */
function exactVersion(pkg: string, kind: Runner["kind"]): { name: string; version: string } | null {
  if (GIT_SOURCE.test(pkg)) {
    const m = COMMIT_PINNED.exec(pkg);
    return m ? { name: pkg.slice(0, m.index), version: m[0].slice(1) } : null;
  }
  if (kind === "image") {
    const m = /^(.+)@(sha256:[0-9a-f]{64})$/.exec(pkg);
    return m ? { name: m[1]!, version: m[2]! } : null;
  }
  if (kind === "python") {
    // `pkg==1.2.3` (pip's exact pin); uv also reads `pkg@1.2.3` as exactly that version.
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?)(?:==|@)([0-9][A-Za-z0-9.+!-]*)$/.exec(pkg);
    return m ? { name: m[1]!, version: m[2]! } : null;
  }
  // npm and NuGet: `name@version`, a scope's `@` not counted; an exact version, never a range or a tag.
  const at = pkg.lastIndexOf("@");
  if (at <= 0) return null;
  const version = pkg.slice(at + 1);
  return semver.valid(version) === version ? { name: pkg.slice(0, at), version } : null;
}

function howToPin(pkg: string, kind: Runner["kind"], program: string): { why: string; fix: string } {
  if (GIT_SOURCE.test(pkg))
    return {
      why: `${program} runs ${pkg} from a git repository by a branch or tag, which can move`,
      fix: `name the commit it runs (\`${pkg.replace(/[@#][^/@#]*$/, "")}@<commit sha>\`)`,
    };
  if (kind === "image")
    return {
      why: `${program} runs image ${pkg} by a tag, which can be moved to other content`,
      fix: `run the image by its digest (\`${pkg.replace(/:[^/:@]+$/, "")}@sha256:…\`; \`docker buildx imagetools inspect ${pkg}\` prints it)`,
    };
  if (kind === "python") {
    const name = pkg.replace(/(==|>=|<=|~=|!=|>|<|@).*$/, "");
    return {
      why: `${program} runs ${pkg} without an exact version, so it may run another release tomorrow`,
      fix: `name an exact version (\`${name}==X.Y.Z\`)`,
    };
  }
  const at = pkg.lastIndexOf("@");
  const name = at > 0 ? pkg.slice(0, at) : pkg;
  if (kind === "nuget")
    return { why: `${program} runs ${pkg} without an exact version`, fix: `name an exact version (\`${name}@X.Y.Z\`)` };
  return {
    why:
      at > 0
        ? `${program} runs ${pkg}, a tag or range that can resolve to another release tomorrow`
        : `${program} runs ${pkg} without a version, so it runs whatever release is latest`,
    fix: `name an exact version (\`${name}@X.Y.Z\`; \`npm view ${name} version\` prints the latest)`,
  };
}
