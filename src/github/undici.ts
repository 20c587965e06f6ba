// undici, as the libraries that talk to GitHub import it, loaded on first use. `@actions/http-client`
// (which `@actions/core` and `@actions/github` import) needs its `ProxyAgent` only behind a proxy,
// and `@actions/github` its `fetch` only where capgate does not give Octokit Node's own
// (src/github/client.ts): a run without a proxy never loads it. The build points every `undici`
// import at this module and bundles undici on its own in dist/vendor/undici.js (decision 23).
import { loadOnUse } from "../common/load.js";

type Undici = typeof import("undici");
let loaded: Undici | undefined;

/** undici itself: in the bundle, the build's `require` of dist/vendor/; from the sources, Node's. */
function undici(): Undici {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= loadOnUse<Undici>(() => require("undici"), "undici");
  return loaded;
}

export const fetch: Undici["fetch"] = (input, init) => undici().fetch(input, init);

/** `new ProxyAgent(options)` builds undici's own: a constructor that returns an object is that object. */
export const ProxyAgent = function ProxyAgent(options: ConstructorParameters<Undici["ProxyAgent"]>[0]) {
  return new (undici().ProxyAgent)(options);
} as unknown as Undici["ProxyAgent"];
