/** A derived file cannot be generated or is out of date; the message names the file and the fix. */
export class RepoToolsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RepoToolsError";
  }
}
