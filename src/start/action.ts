// The action's start (dist/index.js, as action.yml runs it): the engine set, then the bundle
// loaded with its compiled code.
import "../common/engine.js";
import { join } from "node:path";
import { loadBundle } from "./bundle.js";

loadBundle(join(__dirname, "index.bundle.js")).door.start();
