import { createHash } from "node:crypto";
import { fixture } from "./fixtures.js";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The real samples this stand-in builds its answers from. */
export function sample<T = unknown>(name: string): T {
  return JSON.parse(fixture("github", name)) as T;
}

const REVIEW_TEMPLATE = sample<Record<string, unknown>[]>("github-rest-docs-example__pulls_listReviews.json")[0]!;
/** A full user object (the REST docs' review example abbreviates its user). */
const USER_TEMPLATE = sample<{ sender: Record<string, unknown> }>(
  "octokit-webhooks__payload-examples__api.github.com__pull_request__opened.payload.json",
).sender;
const PR_TEMPLATE = sample<{ pull_request: Record<string, unknown> }>(
  "octokit-webhooks__payload-examples__api.github.com__pull_request__opened.payload.json",
).pull_request;
const CHECK_RUN_TEMPLATE = sample<{ check_run: Record<string, unknown> }>(
  "octokit-webhooks__payload-examples__api.github.com__check_run__created.payload.json",
).check_run;
const RELEASE_TEMPLATE = sample<{ release: Record<string, unknown> }>(
  "octokit-webhooks__payload-examples__api.github.com__release__published.payload.json",
).release;

/** A release as the REST API serves it, built from the real payload sample. */
export function release(fields: {
  id: number;
  tag: string;
  body?: string;
  draft?: boolean;
  prerelease?: boolean;
  publishedAt?: string;
}): Record<string, unknown> {
  return {
    ...RELEASE_TEMPLATE,
    url: `https://api.github.com/repos/octo-org/agents/releases/${fields.id}`,
    html_url: `https://github.com/octo-org/agents/releases/tag/${fields.tag}`,
    id: fields.id,
    tag_name: fields.tag,
    name: fields.tag,
    body: fields.body ?? "",
    draft: fields.draft ?? false,
    prerelease: fields.prerelease ?? false,
    created_at: fields.publishedAt ?? "2026-01-01T00:00:00Z",
    published_at: fields.draft ? null : (fields.publishedAt ?? "2026-01-01T00:00:00Z"),
  };
}

/** A file as `GET /repos/{owner}/{repo}/contents/{path}` serves it (base64, in lines of 60). */
export function contentFile(owner: string, repo: string, path: string, text: string): Record<string, unknown> {
  const sha = createHash("sha1")
    .update(`blob ${Buffer.byteLength(text)}\0${text}`)
    .digest("hex");
  const api = `https://api.github.com/repos/${owner}/${repo}`;
  const html = `https://github.com/${owner}/${repo}/blob/main/${path}`;
  return {
    type: "file",
    encoding: "base64",
    size: Buffer.byteLength(text),
    name: path.split("/").pop(),
    path,
    content:
      (
        Buffer.from(text)
          .toString("base64")
          .match(/.{1,60}/g) ?? []
      ).join("\n") + "\n",
    sha,
    url: `${api}/contents/${path}?ref=main`,
    git_url: `${api}/git/blobs/${sha}`,
    html_url: html,
    download_url: `https://raw.githubusercontent.com/${owner}/${repo}/main/${path}`,
    _links: { git: `${api}/git/blobs/${sha}`, self: `${api}/contents/${path}?ref=main`, html },
  };
}

/** A label as the REST API serves it. */
export function label(name: string, color = "ededed", description: string | null = null): Record<string, unknown> {
  const id = nextId++;
  return {
    id,
    node_id: `LA_${id}`,
    url: `https://api.github.com/repos/octo-org/agents/labels/${encodeURIComponent(name)}`,
    name,
    description,
    color,
    default: false,
  };
}

let nextId = 1000;

export function user(login: string, type: "User" | "Bot" = "User"): Record<string, unknown> {
  const from = String(USER_TEMPLATE.login);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(USER_TEMPLATE)) out[k] = typeof v === "string" ? v.split(from).join(login) : v;
  return { ...out, login, id: nextId++, type };
}

/** The GitHub App behind a workflow's GITHUB_TOKEN, as check runs name it. */
export const ACTIONS_APP = { id: 15368, slug: "github-actions", name: "GitHub Actions" };

/** An issue comment as GitHub lists it; by default written by the workflow token's bot. */
export function comment(
  issue: number,
  body: string,
  author: { login: string; type: "User" | "Bot" } = { login: "github-actions[bot]", type: "Bot" },
): { id: number; body: string } & Record<string, unknown> {
  const id = nextId++;
  const now = new Date().toISOString();
  return {
    id,
    node_id: `IC_${id}`,
    url: `https://api.github.com/repos/octo-org/agents/issues/comments/${id}`,
    html_url: `https://github.com/octo-org/agents/pull/${issue}#issuecomment-${id}`,
    issue_url: `https://api.github.com/repos/octo-org/agents/issues/${issue}`,
    body,
    user: user(author.login, author.type),
    created_at: now,
    updated_at: now,
    author_association: "NONE",
  };
}

export function review(login: string, state: string, commitId: string | null, type: "User" | "Bot" = "User") {
  return {
    ...REVIEW_TEMPLATE,
    id: nextId++,
    user: user(login, type),
    state,
    commit_id: commitId,
    submitted_at: new Date(Date.UTC(2026, 0, 1, 0, 0, nextId % 60)).toISOString(),
  };
}

export interface Fault {
  /** Matched against "METHOD /path". */
  match: RegExp;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  /** Drop the connection without answering. */
  drop?: boolean;
  /** How many matching requests it applies to. */
  times: number;
}

export interface StandinState {
  reviews: Record<number, unknown[]>;
  /** "org/slug" → member logins. */
  teams: Record<string, string[]>;
  /** "org/slug" → HTTP status to answer instead (403 for a token without members: read). */
  teamStatus: Record<string, number>;
  pulls: Record<number, { author: string; head: string; base: string }>;
  comments: Record<number, ({ id: number; body: string } & Record<string, unknown>)[]>;
  checkRuns: {
    id: number;
    head_sha: string;
    name: string;
    conclusion: string;
    output: unknown;
    app?: Record<string, unknown>;
  }[];
  /** The login and type that writes with the token (comments, check runs). */
  writer?: { login: string; type: "User" | "Bot"; app: { id: number; slug: string; name: string } };
  associatedPulls: Record<string, { number: number; head: string; merge_commit_sha: string }[]>;
  /** Writes answer 403, as for a fork's read-only token. */
  readOnly: boolean;
  /** Files other repositories hold, by `owner/repo/path@ref`: what `GET …/contents/{path}` serves. */
  contents: Record<string, string>;
  releases: Record<string, unknown>[];
  /** The repository's labels, by name. */
  labels: Record<string, Record<string, unknown>>;
  /** Label names on each issue or pull request. */
  issueLabels: Record<number, string[]>;
  faults: Fault[];
  perPage?: number;
}

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  status: number;
  /** The Authorization header it came with. */
  auth: string;
}

/** A local stand-in for the GitHub REST API endpoints capgate uses, in GitHub's response shapes. */
export class GitHubStandin {
  readonly state: StandinState = GitHubStandin.empty();
  readonly requests: Recorded[] = [];

  private static empty(): StandinState {
    return {
      reviews: {},
      teams: {},
      teamStatus: {},
      pulls: {},
      comments: {},
      checkRuns: [],
      associatedPulls: {},
      readOnly: false,
      contents: {},
      releases: [],
      labels: {},
      issueLabels: {},
      faults: [],
    };
  }

  /** Forgets everything served and recorded; `teams` starts as given. */
  reset(teams: Record<string, string[]> = {}): void {
    for (const k of Object.keys(this.state)) delete (this.state as unknown as Record<string, unknown>)[k];
    Object.assign(this.state, GitHubStandin.empty(), { teams });
    this.requests.length = 0;
  }
  private server: Server | null = null;
  url = "";

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    // An answer still delayed by a fault is not waited for.
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.url);
    const method = req.method ?? "GET";
    const rec: Recorded = {
      method,
      path: url.pathname,
      query: url.searchParams,
      body: raw ? JSON.parse(raw) : undefined,
      status: 0,
      auth: req.headers.authorization ?? "",
    };
    this.requests.push(rec);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "x-github-media-type": "github.v3",
        ...headers,
      });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    const key = `${method} ${url.pathname}`;
    const fault = this.state.faults.find((f) => f.times > 0 && f.match.test(key));
    if (fault) {
      fault.times--;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.drop) {
        rec.status = -1;
        req.socket.destroy();
        return;
      }
      if (fault.status) return send(fault.status, fault.body ?? { message: "Server Error" }, fault.headers);
    }
    try {
      const answer = this.route(method, url.pathname, url.searchParams, rec.body);
      if (!answer) return send(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
      const [status, body, headers] = answer;
      send(status, body, headers);
    } catch (e) {
      send(500, { message: String(e) });
    }
  }

  /** Serves a list one page at a time, with a Link header like GitHub's. */
  private page(list: unknown[], path: string, query: URLSearchParams): [number, unknown, Record<string, string>] {
    const perPage = Math.min(Number(query.get("per_page") ?? 30), this.state.perPage ?? 100);
    const page = Number(query.get("page") ?? 1);
    const items = list.slice((page - 1) * perPage, page * perPage);
    const last = Math.max(1, Math.ceil(list.length / perPage));
    const headers: Record<string, string> = {};
    if (page < last) {
      const q = new URLSearchParams(query);
      q.set("page", String(page + 1));
      const ql = new URLSearchParams(query);
      ql.set("page", String(last));
      headers.link = `<${this.url}${path}?${q}>; rel="next", <${this.url}${path}?${ql}>; rel="last"`;
    }
    return [200, items, headers];
  }

  private forbidden(): [number, unknown] {
    return [
      403,
      {
        message: "Resource not accessible by integration",
        documentation_url: "https://docs.github.com/rest",
        status: "403",
      },
    ];
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
  ): [number, unknown, Record<string, string>?] | null {
    const s = this.state;
    let m: RegExpExecArray | null;
    if (method === "GET" && (m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(path))) {
      const [owner, repo, file] = [m[1]!, m[2]!, decodeURIComponent(m[3]!)];
      const text = s.contents[`${owner}/${repo}/${file}@${query.get("ref") ?? "main"}`];
      if (text === undefined)
        return [
          404,
          {
            message: "Not Found",
            documentation_url: "https://docs.github.com/rest/repos/contents#get-repository-content",
            status: "404",
          },
        ];
      return [200, contentFile(owner, repo, file, text)];
    }
    if (method === "GET" && (m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)\/reviews$/.exec(path))) {
      return this.page(s.reviews[Number(m[1])] ?? [], path, query);
    }
    if (method === "GET" && (m = /^\/orgs\/([^/]+)\/teams\/([^/]+)\/members$/.exec(path))) {
      const team = `${m[1]}/${m[2]}`;
      if (s.teamStatus[team])
        return [
          s.teamStatus[team]!,
          { message: s.teamStatus[team] === 404 ? "Not Found" : "Must have admin rights to Repository." },
        ];
      if (!s.teams[team]) return null;
      return this.page(
        s.teams[team]!.map((l) => user(l)),
        path,
        query,
      );
    }
    if (method === "GET" && (m = /^\/repos\/[^/]+\/[^/]+\/pulls\/(\d+)$/.exec(path))) {
      const p = s.pulls[Number(m[1])];
      if (!p) return null;
      return [
        200,
        {
          ...PR_TEMPLATE,
          number: Number(m[1]),
          user: user(p.author),
          head: { ...(PR_TEMPLATE.head as object), sha: p.head },
          base: { ...(PR_TEMPLATE.base as object), sha: p.base },
        },
      ];
    }
    if (method === "GET" && (m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path))) {
      return this.page(s.comments[Number(m[1])] ?? [], path, query);
    }
    if (method === "POST" && (m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(path))) {
      if (s.readOnly) return this.forbidden();
      const w = s.writer ?? { login: "github-actions[bot]", type: "Bot" as const };
      const c = comment(Number(m[1]), (body as { body: string }).body, w);
      (s.comments[Number(m[1])] ??= []).push(c);
      return [201, c];
    }
    if (method === "PATCH" && (m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path))) {
      if (s.readOnly) return this.forbidden();
      for (const list of Object.values(s.comments)) {
        const c = list.find((x) => x.id === Number(m![1]));
        if (c) {
          c.body = (body as { body: string }).body;
          return [200, c];
        }
      }
      return null;
    }
    if (method === "POST" && /^\/repos\/[^/]+\/[^/]+\/check-runs$/.test(path)) {
      if (s.readOnly) return this.forbidden();
      const b = body as {
        head_sha: string;
        name: string;
        conclusion: string;
        status: string;
        output: { title: string; summary: string };
      };
      const id = nextId++;
      const output = {
        title: b.output.title,
        summary: b.output.summary,
        text: null,
        annotations_count: 0,
        annotations_url: `https://api.github.com/repos/octo-org/agents/check-runs/${id}/annotations`,
      };
      const run = {
        ...CHECK_RUN_TEMPLATE,
        app: { ...(CHECK_RUN_TEMPLATE.app as object), ...(s.writer?.app ?? ACTIONS_APP) },
        id,
        head_sha: b.head_sha,
        name: b.name,
        status: b.status,
        conclusion: b.conclusion,
        output,
      };
      s.checkRuns.push(run as never);
      return [201, run];
    }
    if (method === "GET" && (m = /^\/repos\/[^/]+\/[^/]+\/commits\/([^/]+)\/check-runs$/.exec(path))) {
      const runs = s.checkRuns.filter(
        (r) => r.head_sha === m![1] && (!query.get("check_name") || r.name === query.get("check_name")),
      );
      return [200, { total_count: runs.length, check_runs: runs }];
    }
    const releases = this.releaseRoute(method, path, query, body);
    if (releases) return releases;
    const labels = this.labelRoute(method, path, body);
    if (labels) return labels;
    if (method === "GET" && (m = /^\/repos\/[^/]+\/[^/]+\/commits\/([^/]+)\/pulls$/.exec(path))) {
      const list = (s.associatedPulls[m[1]!] ?? []).map((p) => ({
        ...PR_TEMPLATE,
        number: p.number,
        merged_at: "2026-01-01T00:00:00Z",
        merge_commit_sha: p.merge_commit_sha,
        head: { ...(PR_TEMPLATE.head as object), sha: p.head },
      }));
      return [200, list];
    }
    return null;
  }

  private releaseRoute(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
  ): [number, unknown, Record<string, string>?] | null {
    const s = this.state;
    let m: RegExpExecArray | null;
    if (method === "GET" && /^\/repos\/[^/]+\/[^/]+\/releases$/.test(path)) return this.page(s.releases, path, query);
    if (method === "GET" && (m = /^\/repos\/[^/]+\/[^/]+\/releases\/tags\/(.+)$/.exec(path))) {
      const r = s.releases.find((x) => x.tag_name === decodeURIComponent(m![1]!));
      return r ? [200, r] : null;
    }
    const byId = /^\/repos\/[^/]+\/[^/]+\/releases\/(\d+)$/.exec(path);
    const r = byId ? s.releases.find((x) => x.id === Number(byId[1])) : undefined;
    if (method === "GET" && byId) return r ? [200, r] : null;
    if (method === "PATCH" && byId) {
      if (s.readOnly) return this.forbidden();
      if (!r) return null;
      Object.assign(r, { body: (body as { body: string }).body });
      return [200, r];
    }
    return null;
  }

  private labelRoute(method: string, path: string, body: unknown): [number, unknown, Record<string, string>?] | null {
    const s = this.state;
    let m: RegExpExecArray | null;
    const on = (n: number) => (s.issueLabels[n] ??= []);
    const objects = (names: string[]) => names.map((n) => s.labels[n] ?? label(n));
    if (method === "GET" && (m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/labels$/.exec(path)))
      return [200, objects(on(Number(m[1])))];
    if (method === "POST" && (m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/labels$/.exec(path))) {
      if (s.readOnly) return this.forbidden();
      const list = on(Number(m[1]));
      for (const n of (body as { labels: string[] }).labels) {
        s.labels[n] ??= label(n);
        if (!list.includes(n)) list.push(n);
      }
      return [200, objects(list)];
    }
    if (method === "DELETE" && (m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/labels\/(.+)$/.exec(path))) {
      if (s.readOnly) return this.forbidden();
      const name = decodeURIComponent(m[2]!);
      const list = on(Number(m[1]));
      if (!list.includes(name))
        return [404, { message: "Label does not exist", documentation_url: "https://docs.github.com/rest" }];
      list.splice(list.indexOf(name), 1);
      return [200, objects(list)];
    }
    if (method === "GET" && (m = /^\/repos\/[^/]+\/[^/]+\/labels\/(.+)$/.exec(path))) {
      const l = s.labels[decodeURIComponent(m[1]!)];
      return l ? [200, l] : null;
    }
    if (method === "POST" && /^\/repos\/[^/]+\/[^/]+\/labels$/.test(path)) {
      if (s.readOnly) return this.forbidden();
      const b = body as { name: string; color?: string; description?: string };
      const l = label(b.name, b.color, b.description ?? null);
      s.labels[b.name] = l;
      return [201, l];
    }
    return null;
  }
}
