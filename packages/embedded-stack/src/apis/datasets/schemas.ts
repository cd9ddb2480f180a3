import { z } from "zod";
import { pyInt } from "../../server/py-types.js";

/** Request shapes of the Datasets and DatasetIO routes (spec: RegisterDatasetRequest, AppendRowsRequest). */

const row = z.record(z.unknown());

export const dataSource = z.discriminatedUnion("type", [
  z.object({ type: z.literal("uri"), uri: z.string() }),
  z.object({ type: z.literal("rows"), rows: z.array(row) }),
]);

export const registerDatasetBody = z.object({
  purpose: z.enum(["post-training/messages", "eval/question-answer", "eval/messages-answer"]),
  source: dataSource,
  metadata: z.record(z.unknown()).nullish(),
  dataset_id: z.string().nullish(),
});

export const iterrowsQuery = z.object({
  start_index: pyInt().nullish(),
  limit: pyInt().nullish(),
});

export const appendRowsBody = z.object({ rows: z.array(row) });
