// The CLI's start (dist/cli.js): the engine set, then the bundle loaded with its compiled code.
import "../common/engine.js";
import { join } from "node:path";
import { loadBundle } from "./bundle.js";

loadBundle(join(__dirname, "cli.bundle.js")).door.start();
