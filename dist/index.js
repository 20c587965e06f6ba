import { createRequire as __capgateCreateRequire } from 'node:module';
const require = __capgateCreateRequire(import.meta.url);

// src/action/main.ts
process.stdout.write(
  "::error title=capgate::The capgate action cannot gather reviews from the GitHub API yet; run `capgate check` in a workflow step instead.\n"
);
process.exitCode = 1;
