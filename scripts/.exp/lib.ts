export { main } from "../../src/cli/main.js";
