/** Wire types of the Batches API (OpenAI's Batch object as Llama Stack serves it). */

export const BATCH_ENDPOINTS = ["/v1/chat/completions", "/v1/completions", "/v1/embeddings"] as const;
export type BatchEndpoint = (typeof BATCH_ENDPOINTS)[number];

export type BatchStatus =
  | "validating"
  | "failed"
  | "in_progress"
  | "finalizing"
  | "completed"
  | "expired"
  | "cancelling"
  | "cancelled";

export interface BatchError {
  code: string | null;
  line: number | null;
  message: string | null;
  param: string | null;
}

export interface BatchErrors {
  data: BatchError[];
  object: string | null;
}

export interface BatchRequestCounts {
  completed: number;
  failed: number;
  total: number;
}

export interface BatchObject {
  id: string;
  completion_window: string;
  created_at: number;
  endpoint: string;
  input_file_id: string;
  object: "batch";
  status: BatchStatus;
  cancelled_at: number | null;
  cancelling_at: number | null;
  completed_at: number | null;
  error_file_id: string | null;
  errors: BatchErrors | null;
  expired_at: number | null;
  expires_at: number | null;
  failed_at: number | null;
  finalizing_at: number | null;
  in_progress_at: number | null;
  metadata: Record<string, string> | null;
  model: string | null;
  output_file_id: string | null;
  request_counts: BatchRequestCounts | null;
  usage: null;
}

export interface ListBatchesResponse {
  object: "list";
  data: BatchObject[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

export interface CreateBatchParams {
  input_file_id: string;
  endpoint: string;
  completion_window: string;
  metadata?: Record<string, string> | null;
  idempotency_key?: string | null;
}

/** One validated line of the input file. */
export interface BatchRequest {
  lineNum: number;
  customId: string;
  method: string;
  url: string;
  body: Record<string, unknown>;
}

/** One line of the output or error file. */
export type BatchResultLine =
  | { id: string; custom_id: string; response: { status_code: 200; request_id: string; body: string } }
  | { id: string; custom_id: string; error: { type: "request_failed"; message: string } };
