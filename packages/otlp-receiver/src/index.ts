export { startOtlpReceiver, type OtlpReceiver, type OtlpReceiverOptions } from "./server.js";
export type { Received, WaitOptions } from "./store.js";
export { OtlpRequestError, OtlpWaitTimeoutError } from "./errors.js";
export type * from "./model.js";
