const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML and XML content and attribute values. */
export function escapeXml(text: string): string {
  // Control characters other than tab/newline are invalid in XML 1.0; drop them.
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "").replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
