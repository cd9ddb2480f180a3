/** Rerank inputs of upstream's test_rerank.py, serialized as its Python client sends them. */

export interface TextItem {
  text: string;
  type: "text";
}
/** Llama Stack's legacy image content item, which the rerank API does not accept. */
export interface LegacyImageItem {
  image: { url: { uri: string } } | { data: string };
  type: "image";
}
export type RerankItem = string | TextItem | LegacyImageItem;

export const DUMMY_STRING = "string_1";
export const DUMMY_STRING2 = "string_2";
export const DUMMY_TEXT: TextItem = { text: DUMMY_STRING, type: "text" };
export const DUMMY_TEXT2: TextItem = { text: DUMMY_STRING2, type: "text" };
export const DUMMY_IMAGE_URL: LegacyImageItem = { image: { url: { uri: "https://example.com/image.jpg" } }, type: "image" };
export const DUMMY_IMAGE_BASE64: LegacyImageItem = { image: { data: "base64string" }, type: "image" };

export interface RerankInput {
  query: RerankItem;
  items: RerankItem[];
}

export const TEXT_CASES: ReadonlyArray<{ id: string; value: RerankInput }> = [
  { id: "string-query-string-items", value: { query: DUMMY_STRING, items: [DUMMY_STRING, DUMMY_STRING2] } },
  { id: "text-query-text-items", value: { query: DUMMY_TEXT, items: [DUMMY_TEXT, DUMMY_TEXT2] } },
  { id: "mixed-content-1", value: { query: DUMMY_STRING, items: [DUMMY_STRING2, DUMMY_TEXT] } },
  { id: "mixed-content-2", value: { query: DUMMY_TEXT, items: [DUMMY_STRING, DUMMY_TEXT2] } },
];

export const IMAGE_CASES: ReadonlyArray<{ id: string; value: RerankInput }> = [
  { id: "image-query-url", value: { query: DUMMY_IMAGE_URL, items: [DUMMY_STRING] } },
  { id: "image-query-base64", value: { query: DUMMY_IMAGE_BASE64, items: [DUMMY_TEXT] } },
  { id: "text-query-image-item", value: { query: DUMMY_TEXT, items: [DUMMY_IMAGE_URL] } },
  {
    id: "mixed-content-1",
    value: { query: DUMMY_IMAGE_BASE64, items: [DUMMY_IMAGE_URL, DUMMY_STRING, DUMMY_IMAGE_BASE64, DUMMY_TEXT] },
  },
  {
    id: "mixed-content-2",
    value: { query: DUMMY_TEXT, items: [DUMMY_IMAGE_URL, DUMMY_STRING, DUMMY_IMAGE_BASE64, DUMMY_TEXT] },
  },
];

export interface SemanticCase {
  query: string;
  items: string[];
  expectedFirst: string;
}

const SEMANTIC: SemanticCase[] = [
  {
    query: "What is a reranking model? ",
    items: [
      "A reranking model reranks a list of items based on the query. ",
      "Machine learning algorithms learn patterns from data. ",
      "Python is a programming language. ",
    ],
    expectedFirst: "A reranking model reranks a list of items based on the query. ",
  },
  {
    query: "What is C++?",
    items: [
      "Learning new things is interesting. ",
      "C++ is a programming language. ",
      "Books provide knowledge and entertainment. ",
    ],
    expectedFirst: "C++ is a programming language. ",
  },
  {
    query: "What are good learning habits? ",
    items: [
      "Cooking pasta is a fun activity. ",
      "Plants need water and sunlight. ",
      "Good learning habits include reading daily and taking notes. ",
    ],
    expectedFirst: "Good learning habits include reading daily and taking notes. ",
  },
];

/** pytest's generated ids: strings verbatim, lists as `<argname><index>`. */
export const SEMANTIC_CASES: ReadonlyArray<{ id: string; value: SemanticCase }> = SEMANTIC.map((value, i) => ({
  id: `${value.query}-items${i}-${value.expectedFirst}`,
  value,
}));
