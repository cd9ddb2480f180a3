export * from "./model.js";
export { scanGateSites, scanSource } from "./scan.js";
export { isApiPackage, ledgerName, ledgerOf, LEDGER_DIR, readLedgers, stackKind, writeLedger } from "./ledger.js";
export { accountSites, byCapability, readNeverExecuted, sitesVerdict } from "./account.js";
export { renderSitesMarkdown } from "./render.js";
export { writeSitesReport, neverExecutedList } from "./write.js";
