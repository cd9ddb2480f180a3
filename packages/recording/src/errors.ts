/** Errors about recording files, each naming the file and what to do. */
export class RecordingFileError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`Recording file ${file}: ${problem}. Fix or delete the file, then re-record it (LLAMA_STACK_TEST_INFERENCE_MODE=record-if-missing).`);
    this.name = "RecordingFileError";
  }
}
