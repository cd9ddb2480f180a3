export { failure, statusOf } from "./errors.js";
export { QA_ROWS, qaCsv, qaCsvDataUrl, type QaRow } from "./qa-rows.js";
export { requireRoutes, RESPONSES_ROUTES } from "./routes.js";
export { pollUntil, untilSecondAfter } from "./waiting.js";
