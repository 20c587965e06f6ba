import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { messageOf } from "../common/errors.js";
import { runChangelog } from "../gather/changelog.js";
import { ensureHistory, resolveTag, rootCommit } from "../git/fetch.js";
import type { Git } from "../git/git.js";
import type { GitHubClient } from "../github/client.js";
import { previousRelease, releaseById, releaseByTag, updateReleaseBody } from "../github/releases.js";
import { spliceSection, toChangelog, toReleaseSection } from "../report/changelog.js";
import { inert } from "../report/inert.js";
import type { Target } from "./event.js";
import type { Settings } from "./inputs.js";
import type { Runner } from "./run.js";

/** Release actions whose notes capgate writes; others (created, prereleased, deleted) are left alone. */
const WRITES_ON = new Set(["published", "edited", "dispatch"]);

/**
 * Writes the capability changes since the previous release into this release's notes, between
 * capgate's markers, and into the job summary. Never fails the release: whatever goes wrong is
 * said, and the step stays green. Returns the step's exit code (always 0).
 */
export async function releaseNotes(
  settings: Settings,
  target: Extract<Target, { kind: "release" }>,
  runner: Runner,
  r: { git: () => Promise<Git>; read: GitHubClient; write: () => GitHubClient },
): Promise<number> {
  if (!WRITES_ON.has(target.action)) {
    runner.info(
      `capgate: release ${target.action}: nothing to write (release notes are written when published or edited)`,
    );
    return 0;
  }
  try {
    const repo = settings.repository;
    const git = await r.git();
    const current =
      target.release === null
        ? await releaseByTag(r.read, repo, target.tag)
        : await releaseById(r.read, repo, target.release);
    const previous = await previousRelease(r.read, repo, current);
    const to = await resolveTag(git, current.tag, runner.info);
    const from = previous ? await resolveTag(git, previous.tag, runner.info) : await rootCommit(git, to, runner.info);
    await ensureHistory(git, from, to, runner.info);
    const fromName = previous?.tag ?? `the first commit ${from.slice(0, 7)}`;
    runner.info(`capgate: the capability changes of ${current.tag} since ${fromName}`);
    const { changelog } = await runChangelog({
      cwd: settings.workspace,
      from,
      to,
      configPath: settings.configPath,
      flags: { base: `release ${fromName}`, head: `release ${current.tag}` },
    });
    const markdown = toChangelog(changelog, fromName, current.tag);
    writeChangelogFile(settings, current.tag, markdown, runner);
    const section = toReleaseSection(changelog, fromName, current.tag);
    // The body as it is now: someone may have edited it since the event was sent.
    const fresh = await releaseById(r.read, repo, current.id);
    const written = await updateReleaseBody(r.write(), repo, current.id, spliceSection(fresh.body, section));
    (written.ok ? runner.info : runner.warning)(written.detail);
    const note = written.ok ? "" : `\n\n> ${written.detail}\n`;
    await runner.summary(`${markdown}${note}`).catch(() => undefined);
  } catch (e) {
    const reason = messageOf(e);
    runner.warning(`capgate could not write the release notes: ${reason}`, { title: "capgate: release notes" });
    await runner.summary(`capgate could not write the release notes: ${inert(reason, 4000)}\n`).catch(() => undefined);
  }
  return 0;
}

function writeChangelogFile(settings: Settings, tag: string, markdown: string, runner: Runner): void {
  const path = join(
    settings.runnerTemp ?? join(settings.workspace, ".."),
    "capgate",
    `changelog-${tag.replace(/[^A-Za-z0-9._-]/g, "_")}.md`,
  );
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, markdown);
    runner.setOutput("changelog", path);
  } catch (e) {
    runner.warning(`could not write the changelog file ${path}: ${messageOf(e)}`);
  }
}
