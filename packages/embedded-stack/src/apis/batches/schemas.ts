import { z } from "zod";
import { pyInt } from "../../server/py-types.js";

/** Request shapes of the Batches routes (CreateBatchRequest and the list query in the spec). */

export const createBatchBody = z.object({
  input_file_id: z.string(),
  endpoint: z.string(),
  // string first, so a missing field reads "Field required" rather than a literal mismatch.
  completion_window: z.string().pipe(z.literal("24h")),
  metadata: z.record(z.string()).nullable().optional(),
  idempotency_key: z.string().nullable().optional(),
});

export const listBatchesQuery = z.object({
  after: z.string().optional(),
  limit: pyInt().default(20),
});
