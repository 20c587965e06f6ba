// The GitHub Action door. Until it reads events and reviews from the API, it refuses to decide:
// a gate that cannot gather its evidence blocks rather than passes.
process.stdout.write(
  "::error title=capgate::The capgate action cannot gather reviews from the GitHub API yet; run `capgate check` in a workflow step instead.\n",
);
process.exitCode = 1;
