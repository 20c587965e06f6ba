// The action's entry point, as action.yml runs it (bundled into dist/index.js).
import "../common/engine.js";
import { run } from "./main.js";

// No top-level await: the bundle is CommonJS, which Node loads faster than a module.
void run();
