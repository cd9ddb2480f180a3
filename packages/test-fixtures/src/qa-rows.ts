/**
 * The question/answer table upstream's datasets, eval and scoring tests load from a CSV, as typed
 * rows; `qaCsvDataUrl` renders it as the CSV data URL upstream registers as a dataset source.
 */
export interface QaRow {
  input_query: string;
  generated_answer: string;
  expected_answer: string;
  /** JSON list of chat messages, kept as a string column as in the CSV. */
  chat_completion_input: string;
}

function row(question: string, generated: string, expected: string): QaRow {
  return {
    input_query: question,
    generated_answer: generated,
    expected_answer: expected,
    chat_completion_input: JSON.stringify([{ role: "user", content: question }]).replaceAll('","', '", "').replaceAll('":"', '": "'),
  };
}

export const QA_ROWS: readonly QaRow[] = [
  row("What is the capital of France?", "London", "Paris"),
  row("Who is the CEO of Meta?", "Mark Zuckerberg", "Mark Zuckerberg"),
  row("What is the largest planet in our solar system?", "Jupiter", "Jupiter"),
  row("What is the smallest country in the world?", "China", "Vatican City"),
  row("What is the currency of Japan?", "Yen", "Yen"),
];

const COLUMNS: readonly (keyof QaRow)[] = ["input_query", "generated_answer", "expected_answer", "chat_completion_input"];

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function qaCsv(rows: readonly QaRow[] = QA_ROWS): string {
  const lines = [COLUMNS.join(","), ...rows.map((r) => COLUMNS.map((c) => csvField(r[c])).join(","))];
  return `${lines.join("\n")}\n`;
}

export function qaCsvDataUrl(rows: readonly QaRow[] = QA_ROWS): string {
  return `data:text/csv;base64,${Buffer.from(qaCsv(rows)).toString("base64")}`;
}
