import { defineConfig } from "vitest/config";
import { availableParallelism } from "node:os";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/setup/build-cli.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The suite waits on git and on the processes it starts more than it computes: two workers on
    // two cores (the default leaves one core idle).
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
