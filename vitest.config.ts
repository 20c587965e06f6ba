import { defineConfig } from "vitest/config";
import { availableParallelism } from "node:os";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/build-cli.ts"],
    // Guards against a hang, not measures: a busy 2-core machine stretches every test threefold,
    // and no test asserts how long anything takes (speed is `npm run bench`'s).
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    // The suite waits on git and on the processes it starts more than it computes: two workers on
    // two cores (the default leaves one core idle).
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
