export { failure, statusOf } from "./errors.js";
export { QA_ROWS, qaCsv, qaCsvDataUrl, type QaRow } from "./qa-rows.js";
export { requireRoutes } from "./routes.js";
