/**
 * Llama Guard as upstream's inline provider runs it: the conversation is rendered into the guard prompt
 * (categories S1..S14 minus excluded ones), sent to the guard model through inference at temperature 0,
 * and the verdict ("safe" / "unsafe\nS1,S2") mapped to a shield violation or a moderation object.
 */
import { randomUUID } from "node:crypto";
import { InvalidValueError } from "../../server/errors.js";
import type { InferenceRouter, JsonObject } from "../../server/types.js";

export const CANNED_RESPONSE_TEXT = "I can't answer that. Can I help with something else?";

/** Category name -> code, in upstream's order. */
export const CATEGORY_CODES: ReadonlyArray<[string, string]> = [
  ["Violent Crimes", "S1"],
  ["Non-Violent Crimes", "S2"],
  ["Sex Crimes", "S3"],
  ["Child Exploitation", "S4"],
  ["Defamation", "S5"],
  ["Specialized Advice", "S6"],
  ["Privacy", "S7"],
  ["Intellectual Property", "S8"],
  ["Indiscriminate Weapons", "S9"],
  ["Hate", "S10"],
  ["Self-Harm", "S11"],
  ["Sexual Content", "S12"],
  ["Elections", "S13"],
  ["Code Interpreter Abuse", "S14"],
];
const CODE_TO_CATEGORY = new Map(CATEGORY_CODES.map(([name, code]) => [code, name]));
const LG3_CATEGORIES = CATEGORY_CODES.slice(0, 13).map(([name]) => name);
const ALL_CATEGORIES = CATEGORY_CODES.map(([name]) => name);

/** Known Llama Guard models without the code-interpreter category; any other model gets all 14. */
const MODELS_WITHOUT_S14 = new Set([
  "Llama-Guard-3-1B", "meta-llama/Llama-Guard-3-1B",
  "Llama-Guard-3-11B-Vision", "meta-llama/Llama-Guard-3-11B-Vision",
  "Llama-Guard-4-12B", "meta-llama/Llama-Guard-4-12B",
]);

export interface GuardMessage {
  role: string;
  content: unknown;
}

export interface ShieldVerdict {
  violation: null | { violation_level: "error"; user_message: string; metadata: { violation_type: string } };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase();
}

/** upstream interleaved_content_as_str: text parts joined by a space, images as <image>. */
function contentAsString(content: unknown): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map(contentAsString).join(" ");
  const part = content as JsonObject;
  if (part.type === "text") return String(part.text ?? "");
  if (part.type === "image_url" || part.type === "image") return "<image>";
  if (part.type === "file") return "<file>";
  throw new InvalidValueError(`Unsupported content type: ${String(part.type)}`);
}

export class LlamaGuard {
  private readonly categories: string[];

  constructor(
    private readonly inference: InferenceRouter,
    readonly model: string,
    private readonly excluded: string[],
  ) {
    this.categories = MODELS_WITHOUT_S14.has(model) ? LG3_CATEGORIES : ALL_CATEGORIES;
  }

  private categoryLines(): string {
    const allCodes = CATEGORY_CODES.map(([, code]) => code);
    const excluded = allCodes.every((c) => this.excluded.includes(c)) ? [] : this.excluded;
    return CATEGORY_CODES.filter(([name, code]) => this.categories.includes(name) && !excluded.includes(code))
      .map(([name, code]) => `${code}: ${name}.`)
      .join("\n");
  }

  buildPrompt(messages: GuardMessage[]): string {
    const agent = capitalize((messages[messages.length - 1] as GuardMessage).role);
    const conversation = messages.map((m) => `${capitalize(m.role)}: ${contentAsString(m.content)}`).join("\n\n");
    return (
      `Task: Check if there is unsafe content in '${agent}' messages in conversations according our safety policy with the below categories.\n` +
      `\n<BEGIN UNSAFE CONTENT CATEGORIES>\n${this.categoryLines()}\n<END UNSAFE CONTENT CATEGORIES>\n` +
      `\n<BEGIN CONVERSATION>\n\n${conversation}\n\n<END CONVERSATION>\n` +
      `\nProvide your safety assessment for ONLY THE LAST ${agent} message in the above conversation:\n` +
      ` - First line must read 'safe' or 'unsafe'.\n` +
      ` - If unsafe, a second line must include a comma-separated list of violated categories.`
    );
  }

  private async ask(messages: GuardMessage[]): Promise<string> {
    const response = (await this.inference.chatCompletion({
      model: this.model,
      messages: [{ role: "user", content: this.buildPrompt(messages) }],
      stream: false,
      temperature: 0.0,
    })) as JsonObject;
    const choice = (response.choices as JsonObject[] | undefined)?.[0];
    const content = (choice?.message as JsonObject | undefined)?.content;
    return typeof content === "string" ? content.trim() : "";
  }

  private unsafeCodes(response: string): string | null {
    const match = /^unsafe\n(.*)$/.exec(response);
    return match ? (match[1] as string) : null;
  }

  async runShield(input: GuardMessage[]): Promise<ShieldVerdict> {
    let messages = [...input];
    if (messages.length > 0 && messages[0]?.role !== "user") messages[0] = { role: "user", content: messages[0]?.content };
    if (messages.length === 0) throw new InvalidValueError("Messages must not be empty");
    if (messages.length >= 2 && messages[1]?.role === "user") messages = messages.slice(1);
    const response = await this.ask(messages);
    if (response === "safe") return { violation: null };
    const codes = this.unsafeCodes(response);
    if (!codes) throw new InvalidValueError(`Unexpected response: ${response}`);
    if (codes.split(",").every((c) => this.excluded.includes(c))) return { violation: null };
    return { violation: { violation_level: "error", user_message: CANNED_RESPONSE_TEXT, metadata: { violation_type: codes } } };
  }

  async moderate(input: string[]): Promise<JsonObject> {
    if (input.length === 0) return moderationObject(this.model, null);
    const response = await this.ask(input.map((content) => ({ role: "user", content })));
    if (response.toLowerCase().startsWith("safe")) return moderationObject(this.model, null);
    const codes = this.unsafeCodes(response);
    if (!codes) throw new InvalidValueError(`Unexpected response: ${response}`);
    if (codes.split(",").every((c) => this.excluded.includes(c))) return moderationObject(this.model, null);
    return moderationObject(this.model, codes);
  }
}

function moderationObject(model: string, unsafeCodes: string | null): JsonObject {
  const names = CATEGORY_CODES.map(([name]) => name);
  const codes = unsafeCodes ? unsafeCodes.split(",").map((c) => c.trim()) : [];
  // Unknown codes: upstream cannot map them and answers "safe".
  const flaggedNames = codes.every((c) => CODE_TO_CATEGORY.has(c)) ? codes.map((c) => CODE_TO_CATEGORY.get(c) as string) : [];
  const flagged = flaggedNames.length > 0;
  return {
    id: `modr-${randomUUID()}`,
    model,
    results: [
      {
        flagged,
        categories: Object.fromEntries(names.map((n) => [n, flaggedNames.includes(n)])),
        category_applied_input_types: Object.fromEntries(names.map((n) => [n, flaggedNames.includes(n) ? ["text"] : []])),
        category_scores: Object.fromEntries(names.map((n) => [n, flagged ? (flaggedNames.includes(n) ? 1.0 : 0.0) : 1.0])),
        user_message: flagged ? CANNED_RESPONSE_TEXT : null,
        metadata: flagged ? { violation_type: codes } : {},
      },
    ],
  };
}
