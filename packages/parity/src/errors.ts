/** A parity input is missing or malformed; the message names the file and the fix. */
export class ParityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ParityError";
  }
}
