import { z } from "zod";
import { pyInt } from "../../server/py-types.js";

/** Request shapes of the Prompts routes (spec: CreatePromptRequest, UpdatePromptRequest, SetDefaultVersionRequest). */

const variables = z.array(z.string()).nullable().optional();

export const createPromptBody = z.object({ prompt: z.string(), variables });

export const updatePromptBody = z.object({
  prompt: z.string(),
  version: z.number().int(),
  variables,
  set_as_default: z.boolean().default(true),
});

export const setDefaultVersionBody = z.object({ version: z.number().int() });

export const getPromptQuery = z.object({ version: pyInt().optional() });
