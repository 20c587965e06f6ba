/**
 * Variables in a server's start as the clients expand them when they start it: `${VAR}` and
 * `${VAR:-default}` (Claude Code, Gemini CLI, Cursor), `${env:VAR}` (VS Code, Cursor) and
 * `${workspaceFolder}` (VS Code). What cannot be expanded — a VS Code
 * `${input:…}` that would prompt, a variable that is not set — is left as written, so the server
 * sees what a client without it would pass. Only the started process sees the values: the lock is
 * written from the config as written.
 */
export function expandVariables(
  text: string,
  env: NodeJS.ProcessEnv,
  workspace: string,
  unset: Set<string> = new Set(),
): string {
  return text.replace(
    /\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (whole, name: string, fallback?: string) => {
      if (name === "workspaceFolder") return workspace;
      const value = env[name];
      if (value !== undefined && value !== "") return value;
      if (fallback === undefined) unset.add(name);
      return fallback ?? whole;
    },
  );
}
