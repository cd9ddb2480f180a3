/** Wire types of the Datasets and DatasetIO APIs (upstream's Dataset resource and PaginatedResponse). */

export type DatasetPurpose = "post-training/messages" | "eval/question-answer" | "eval/messages-answer";

export type Row = Record<string, unknown>;

export interface UriDataSource {
  type: "uri";
  uri: string;
}

export interface RowsDataSource {
  type: "rows";
  rows: Row[];
}

export type DataSource = UriDataSource | RowsDataSource;

/** A registered dataset as upstream's routing table returns it (DatasetWithOwner). */
export interface Dataset {
  identifier: string;
  provider_resource_id: string;
  provider_id: string;
  type: "dataset";
  owner: null;
  purpose: DatasetPurpose;
  source: DataSource;
  metadata: Record<string, unknown>;
}

export interface ListDatasetsResponse {
  data: Omit<Dataset, "owner">[];
}

export interface PaginatedRows {
  data: Row[];
  has_more: boolean;
}
