/**
 * Lower-cases and strips diacritics, as upstream's `_normalize_text` does, so an expected
 * "Sol" matches a model's "sōl".
 */
export function normalizeText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[^\x00-\x7f]/g, "")
    .toLowerCase();
}
