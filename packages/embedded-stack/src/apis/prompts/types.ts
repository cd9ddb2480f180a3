/** Wire types of the Prompts API (Llama Stack's stored prompt templates). */

export interface Prompt {
  prompt: string | null;
  version: number;
  prompt_id: string;
  variables: string[];
  is_default: boolean;
}

export interface ListPromptsResponse {
  data: Prompt[];
}
