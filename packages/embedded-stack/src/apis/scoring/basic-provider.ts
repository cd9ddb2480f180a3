/**
 * Upstream's inline::basic scoring provider: deterministic functions over `expected_answer` and
 * `generated_answer`, each scoring 1.0 or 0.0 per row. Upstream's ifeval, docvqa and math-response
 * functions are not implemented here (see the package README), so they are not listed either.
 */
import { InvalidValueError } from "../../server/errors.js";
import { aggregateMetrics } from "./aggregation.js";
import { builtinFn, column, FunctionDefs, ScoringNotImplementedError, type ScoringProvider } from "./provider.js";
import { firstGroup } from "./python-regex.js";
import { pyContains, pyEquals } from "./python-values.js";
import type { Row, ScoringFn, ScoringFnParams, ScoringResult } from "./types.js";

/** "Answer:"-style prefixes in the languages upstream's multiple-choice parser knows. */
const ANSWER_PREFIXES = [
  "The best answer is ", "Answer\\s*:", "Answer\\s*:\u200b\u200b\u200b\u200b\u200b\u200b",
  "উত্তর\\s*:", "उत्तर\\s*:", "উত্তরঃ", "উত্তর\\s*:", "Antwort\\s*:", "답변\\s*:", "정답\\s*:", "답\\s*:",
  "答案\\s*：", "答案\\s*:", "答\\s*：", "答\\s*:", "答复\\s*：", "答曰\\s*：",
  "الإجابة:", "الجواب:", "إجابة:", "الإجابة النهائية:", "الإجابة الصحيحة:", "الإجابة الصحيحة هي:", "الإجابة هي:",
  "Respuesta\\s*:", "Risposta\\s*:", "答え\\s*:", "答え\\s*：", "回答\\s*:", "回答\\s*：", "解答\\s*:",
  "Jawaban\\s*:", "Réponse\\s*:", "Resposta\\s*:", "Jibu\\s*:", "Idahun\\s*:", "Ìdáhùn\\s*:", "Idáhùn\\s*:",
  "Àmọ̀nà\\s*:", "Àdáhùn\\s*:", "Ànúgọ\\s*:", "Àṣàyàn\\s*:",
];
/** The answer letter after a prefix: A-D in Latin, Arabic, Bengali or full-width script. */
const ANSWER_LETTER = "\\s*([A-D]|[أ-د]|[অ]|[ব]|[ড]|[ঢ]|[Ａ]|[Ｂ]|[Ｃ]|[Ｄ])";

type RowScorer = (row: Row, fnId: string, params: ScoringFnParams | null) => number;

const equality: RowScorer = (row, fnId) =>
  pyEquals(column(row, fnId, "expected_answer"), column(row, fnId, "generated_answer")) ? 1 : 0;

const subsetOf: RowScorer = (row, fnId) =>
  pyContains(column(row, fnId, "generated_answer"), column(row, fnId, "expected_answer")) ? 1 : 0;

const regexParser: RowScorer = (row, fnId, params) => {
  if (params?.type !== "regex_parser") throw new Error(`Scoring function ${fnId} needs regex_parser params`);
  const expected = column(row, fnId, "expected_answer");
  const generated = column(row, fnId, "generated_answer");
  let parsed: string | null = null;
  for (const regex of params.parsing_regexes) {
    parsed = firstGroup(regex, generated);
    if (parsed !== null) break;
  }
  return parsed && pyEquals(parsed, expected) ? 1 : 0;
};

interface BasicFunction {
  def: ScoringFn;
  scoreRow: RowScorer;
  /** Functions that read their (overridable) params per row. */
  usesParams: boolean;
}

const FUNCTIONS: BasicFunction[] = [
  {
    def: builtinFn({
      identifier: "basic::equality",
      provider_id: "basic",
      provider_resource_id: "equality",
      description: "1.0 when generated_answer equals expected_answer, else 0.0.",
      params: { type: "basic", aggregation_functions: ["accuracy"] },
    }),
    scoreRow: equality,
    usesParams: false,
  },
  {
    def: builtinFn({
      identifier: "basic::subset_of",
      provider_id: "basic",
      provider_resource_id: "subset-of",
      description: "1.0 when expected_answer occurs in generated_answer, else 0.0.",
      params: { type: "basic", aggregation_functions: ["accuracy"] },
    }),
    scoreRow: subsetOf,
    usesParams: false,
  },
  {
    def: builtinFn({
      identifier: "basic::regex_parser_multiple_choice_answer",
      provider_id: "basic",
      provider_resource_id: "regex-parser-multiple-choice-answer",
      description: "Parses the answer letter after an 'Answer:'-style prefix and compares it with expected_answer.",
      params: {
        type: "regex_parser",
        parsing_regexes: ANSWER_PREFIXES.map((prefix) => `(?i)${prefix}${ANSWER_LETTER}`),
        aggregation_functions: ["accuracy"],
      },
    }),
    scoreRow: regexParser,
    usesParams: true,
  },
];

export class BasicScoringProvider implements ScoringProvider {
  readonly providerType = "inline::basic";
  private readonly defs = new FunctionDefs(FUNCTIONS.map((f) => f.def));
  private readonly scorers = new Map(FUNCTIONS.map((f) => [f.def.identifier, f]));

  constructor(private readonly providerId: string) {}

  builtins(): ScoringFn[] {
    return FUNCTIONS.map((f) => ({ ...structuredClone(f.def), provider_id: this.providerId }));
  }

  register(): void {
    throw new ScoringNotImplementedError("Register scoring function not implemented yet");
  }

  unregister(): void {
    throw new ScoringNotImplementedError("the basic scoring provider cannot unregister its functions");
  }

  async score(rows: Row[], fnId: string, params: ScoringFnParams | null): Promise<ScoringResult> {
    const fn = this.scorers.get(fnId);
    if (!fn) throw new InvalidValueError(`Scoring function ${fnId} is not supported.`);
    const rowParams = fn.usesParams ? this.defs.overrideParams(fnId, params) : params;
    const scoreRows = rows.map((row) => ({ score: fn.scoreRow(row, fnId, rowParams) }));
    return { score_rows: scoreRows, aggregated_results: aggregateMetrics(scoreRows, this.defs.aggregationFunctions(fnId, params)) };
  }
}

