/**
 * Shell commands a permission rule may pre-approve that delete, publish, push, send, escalate
 * privileges or run code of any kind. A rule scoped to one command pre-confirms it — the team
 * reviewed the settings that hold it — unless the command is one of these: then it is a writing
 * tool run unasked (PRODUCT §2b). One table, each entry the words a command starts with.
 */
const TABLE: readonly (readonly [string, string])[] = [
  ["rm", "deletes files"],
  ["rmdir", "deletes folders"],
  ["shred", "destroys files"],
  ["unlink", "deletes files"],
  ["dd", "overwrites disks and files"],
  ["mkfs", "formats disks"],
  ["truncate", "empties files"],
  ["git push", "pushes to a remote"],
  ["git reset", "rewrites the branch (git reset --hard discards work)"],
  ["git clean", "deletes untracked files"],
  ["git rm", "deletes files"],
  ["git rebase", "rewrites history"],
  ["git filter-branch", "rewrites history"],
  ["git filter-repo", "rewrites history"],
  ["git update-ref", "moves branches"],
  ["git branch -D", "deletes branches"],
  ["git tag -d", "deletes tags"],
  ["chmod", "changes file permissions"],
  ["chown", "changes file owners"],
  ["chgrp", "changes file groups"],
  ["sudo", "escalates privileges"],
  ["su", "escalates privileges"],
  ["doas", "escalates privileges"],
  ["curl", "sends and fetches over the network"],
  ["wget", "fetches over the network"],
  ["ssh", "runs commands on other machines"],
  ["scp", "copies to other machines"],
  ["sftp", "copies to other machines"],
  ["rsync", "copies to other machines and deletes"],
  ["nc", "sends over the network"],
  ["ncat", "sends over the network"],
  ["socat", "sends over the network"],
  ["telnet", "sends over the network"],
  ["ftp", "sends over the network"],
  ["gh pr merge", "merges pull requests"],
  ["gh pr create", "opens pull requests"],
  ["gh pr comment", "posts comments"],
  ["gh pr review", "posts reviews"],
  ["gh pr close", "closes pull requests"],
  ["gh issue create", "opens issues"],
  ["gh issue comment", "posts comments"],
  ["gh issue close", "closes issues"],
  ["gh issue edit", "edits issues"],
  ["gh issue delete", "deletes issues"],
  ["gh pr edit", "edits pull requests"],
  ["gh release create", "publishes releases"],
  ["gh release delete", "deletes releases"],
  ["gh release edit", "edits releases"],
  ["gh release upload", "publishes release assets"],
  ["gh api", "calls GitHub's API with the user's token"],
  ["gh repo create", "creates repositories"],
  ["gh repo delete", "deletes repositories"],
  ["gh repo edit", "edits repositories"],
  ["gh repo rename", "renames repositories"],
  ["gh repo archive", "archives repositories"],
  ["gh repo sync", "pushes to repositories"],
  ["gh workflow run", "runs workflows"],
  ["gh workflow enable", "turns workflows on"],
  ["gh secret set", "writes secrets"],
  ["gh secret delete", "deletes secrets"],
  ["gh variable set", "writes variables"],
  ["gh variable delete", "deletes variables"],
  ["npm publish", "publishes packages"],
  ["npm unpublish", "removes published packages"],
  ["yarn publish", "publishes packages"],
  ["pnpm publish", "publishes packages"],
  ["bun publish", "publishes packages"],
  ["cargo publish", "publishes crates"],
  ["twine upload", "publishes packages"],
  ["poetry publish", "publishes packages"],
  ["gem push", "publishes gems"],
  ["docker push", "publishes images"],
  ["docker run", "runs containers"],
  ["kubectl", "changes clusters"],
  ["helm", "changes clusters"],
  ["terraform apply", "changes infrastructure"],
  ["terraform destroy", "destroys infrastructure"],
  ["tofu apply", "changes infrastructure"],
  ["pulumi up", "changes infrastructure"],
  ["pulumi destroy", "destroys infrastructure"],
  ["aws", "changes cloud resources"],
  ["gcloud", "changes cloud resources"],
  ["az", "changes cloud resources"],
  ["wrangler", "deploys and deletes workers"],
  ["vercel", "deploys"],
  ["fly", "deploys"],
  ["heroku", "deploys"],
  ["bash", "runs any code"],
  ["sh", "runs any code"],
  ["zsh", "runs any code"],
  ["fish", "runs any code"],
  ["eval", "runs any code"],
  ["exec", "runs any code"],
  ["source", "runs any code"],
  ["python", "runs any code"],
  ["python3", "runs any code"],
  ["node", "runs any code"],
  ["deno", "runs any code"],
  ["bun", "runs any code"],
  ["npx", "runs any package"],
  ["bunx", "runs any package"],
  ["pnpx", "runs any package"],
  ["pnpm dlx", "runs any package"],
  ["pnpm exec", "runs any package"],
  ["yarn dlx", "runs any package"],
  ["uvx", "runs any package"],
  ["uv run", "runs any code"],
  ["pipx run", "runs any package"],
  ["perl", "runs any code"],
  ["ruby", "runs any code"],
  ["php", "runs any code"],
  ["xargs", "runs any command"],
  ["make", "runs any command its Makefile gives"],
  ["env", "runs any command"],
  ["find", "runs commands and deletes files (-exec, -delete)"],
];

const ENTRIES = TABLE.map(([command, does]) => ({ words: command.split(" "), command, does }));

/** How a Bash rule's content matches commands, as Claude Code reads it. */
export type CommandPattern =
  /** `npm run test:*`: the command and any arguments after it. */
  | { kind: "prefix"; words: string[] }
  /** `git * main`: `*` matches anything (a literal-prefix before the first `*` is what is known). */
  | { kind: "wildcard"; prefix: string }
  /** `npm test`: that command exactly. */
  | { kind: "exact"; words: string[] };

/** A Bash rule's content as a command pattern: `…:*` a prefix, another `*` a wildcard, else exact. */
export function commandPattern(content: string): CommandPattern {
  const c = content.trim();
  if (c.endsWith(":*") && !c.slice(0, -2).includes("*")) return { kind: "prefix", words: words(c.slice(0, -2)) };
  if (/(^|[^\\])\*/.test(c))
    return { kind: "wildcard", prefix: c.slice(0, c.search(/(^|[^\\])\*/) + (c.startsWith("*") ? 0 : 1)) };
  return { kind: "exact", words: words(c) };
}

/** A command's words, without the variable assignments before it or the folder before its program. */
function words(command: string): string[] {
  const all = command.trim().split(/\s+/).filter(Boolean);
  while (all.length > 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(all[0]!)) all.shift();
  if (all[0]?.includes("/")) all[0] = all[0].slice(all[0].lastIndexOf("/") + 1);
  return all;
}

const startsWith = (a: readonly string[], b: readonly string[]) => b.every((w, i) => a[i] === w);

/**
 * What a pattern may pre-approve of the table: the first entry a command it matches may start
 * with, or null. A prefix covers an entry it starts (`git:*` covers `git push`) or that starts it;
 * a wildcard, any entry its literal beginning leaves open (`* install`, any at all).
 */
export function dangerous(pattern: CommandPattern): { command: string; does: string } | null {
  for (const e of ENTRIES) {
    if (pattern.kind === "exact" && startsWith(pattern.words, e.words)) return e;
    if (pattern.kind === "prefix" && (startsWith(pattern.words, e.words) || startsWith(e.words, pattern.words)))
      return e;
    if (pattern.kind === "wildcard") {
      const known = words(pattern.prefix);
      // The last word before `*` may be cut short (`gi*`): it is only the start of a word.
      const whole = /\s$/.test(pattern.prefix) ? known : known.slice(0, -1);
      const partial = /\s$/.test(pattern.prefix) ? "" : (known[known.length - 1] ?? "");
      const fits = startsWith(e.words, whole) || startsWith(whole, e.words);
      const next = e.words[whole.length];
      if (fits && (partial === "" || next === undefined || next.startsWith(partial) || whole.length >= e.words.length))
        return e;
    }
  }
  return null;
}
