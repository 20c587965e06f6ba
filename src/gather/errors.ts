/** Bad usage or an unusable config: the CLI exits 2, the action blocks; never a pass. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
