/**
 * The one-page "Hello World" PDF upstream's test_openai_chat_completion_non_streaming_with_file sends,
 * byte for byte (545 bytes, sha256 9e0fe9f3aa72ce668c704ed0aa760f4e9b087666a154a06d390d840fcfc8bd40),
 * so the request can match upstream's recording. Its layout: one dictionary entry per line, a page
 * tree closed by `<>` instead of `>>`, no newline after %%EOF, and xref offsets as upstream wrote them
 * (those of object 4 and of the xref table are 25 bytes past the real ones; PDF readers repair that).
 */
export function upstreamHelloWorldPdf(): Buffer {
  const dict = (...entries: string[]) => ["<<", ...entries, ">>"];
  const objects = [
    dict("/Type /Catalog", "/Pages 2 0 R"),
    ["<<", "/Type /Pages", "/Kids [3 0 R]", "/Count 1", "<>"],
    [
      "<<",
      "/Type /Page",
      "/Parent 2 0 R",
      "/MediaBox [0 0 612 792]",
      "/Contents 4 0 R",
      "/Resources <<",
      "/Font <<",
      "/F1 <<",
      "/Type /Font",
      "/Subtype /Type1",
      "/BaseFont /Helvetica",
      ">>",
      ">>",
      ">>",
      ">>",
    ],
    [...dict("/Length 44"), "stream", "BT", "/F1 12 Tf", "100 750 Td", "(Hello World) Tj", "ET", "endstream"],
  ];
  const body = objects.map((lines, i) => `${i + 1} 0 obj\n${lines.join("\n")}\nendobj\n`).join("");
  const xref = [9, 58, 115, 315].map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  const trailer = `trailer\n${dict("/Size 5", "/Root 1 0 R").join("\n")}\nstartxref\n409\n%%EOF`;
  return Buffer.from(`%PDF-1.4\n${body}xref\n0 5\n0000000000 65535 f \n${xref}${trailer}`, "latin1");
}
