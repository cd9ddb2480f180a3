/** Wire types of the Files API (OpenAI-compatible, as Llama Stack serves it). */

export const FILE_PURPOSES = ["assistants", "batch"] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

export const SORT_ORDERS = ["asc", "desc"] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Bounds of `expires_after.seconds`: one hour to thirty days. */
export const EXPIRES_AFTER_MIN_SECONDS = 3600;
export const EXPIRES_AFTER_MAX_SECONDS = 2_592_000;

/** Files uploaded without `expires_after` live for a year, like upstream's local file store. */
export const DEFAULT_FILE_TTL_SECONDS = 365 * 24 * 60 * 60;

export interface ExpiresAfter {
  anchor: "created_at";
  seconds: number;
}

export interface OpenAIFileObject {
  object: "file";
  id: string;
  bytes: number;
  created_at: number;
  expires_at: number;
  filename: string;
  purpose: FilePurpose;
}

export interface ListFilesResponse {
  object: "list";
  data: OpenAIFileObject[];
  has_more: boolean;
  first_id: string;
  last_id: string;
}

export interface FileDeleteResponse {
  id: string;
  object: "file";
  deleted: true;
}

export interface ListFilesQuery {
  after?: string;
  limit?: number;
  order?: SortOrder;
  purpose?: FilePurpose;
}

/** An upload already written to the store's directory (FilesStore.stage). */
export interface StagedContent {
  path: string;
  bytes: number;
}

export interface NewFile {
  filename: string;
  purpose: FilePurpose;
  content: Buffer | StagedContent;
  expiresAfter?: ExpiresAfter;
}
