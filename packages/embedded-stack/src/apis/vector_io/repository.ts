import type { Database } from "better-sqlite3";
import type { Chunk, StoredFileBatch, StoredVectorStore, VectorStoreFileObject } from "./types.js";

/** A store file as persisted: the wire object, its filename and the chunks made from it. */
export interface StoredStoreFile {
  file: VectorStoreFileObject;
  filename: string;
  chunks: Chunk[];
}

/** JSON rows in SQLite for vector stores, their files and file batches. Insertion order is kept. */
export class VectorStoreRepository {
  constructor(private readonly db: Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS vector_stores (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS vector_store_files (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, store_id TEXT NOT NULL, file_id TEXT NOT NULL,
        data TEXT NOT NULL, filename TEXT NOT NULL, chunks TEXT NOT NULL, UNIQUE (store_id, file_id));
      CREATE TABLE IF NOT EXISTS vector_store_file_batches (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
    `);
  }

  getStore(id: string): StoredVectorStore | undefined {
    const row = this.db.prepare("SELECT data FROM vector_stores WHERE id = ?").get(id) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as StoredVectorStore) : undefined;
  }

  allStores(): StoredVectorStore[] {
    const rows = this.db.prepare("SELECT data FROM vector_stores ORDER BY seq").all() as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as StoredVectorStore);
  }

  saveStore(store: StoredVectorStore): void {
    this.db
      .prepare("INSERT INTO vector_stores (id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data")
      .run(store.id, JSON.stringify(store));
  }

  deleteStore(id: string): void {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM vector_stores WHERE id = ?").run(id);
      this.db.prepare("DELETE FROM vector_store_files WHERE store_id = ?").run(id);
    })();
  }

  getFile(storeId: string, fileId: string): StoredStoreFile | undefined {
    const row = this.db
      .prepare("SELECT data, filename, chunks FROM vector_store_files WHERE store_id = ? AND file_id = ?")
      .get(storeId, fileId) as { data: string; filename: string; chunks: string } | undefined;
    return row
      ? {
          file: JSON.parse(row.data) as VectorStoreFileObject,
          filename: row.filename,
          chunks: JSON.parse(row.chunks) as Chunk[],
        }
      : undefined;
  }

  saveFile(storeId: string, entry: StoredStoreFile): void {
    this.db
      .prepare(
        `INSERT INTO vector_store_files (store_id, file_id, data, filename, chunks) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(store_id, file_id) DO UPDATE SET data = excluded.data, filename = excluded.filename, chunks = excluded.chunks`,
      )
      .run(storeId, entry.file.id, JSON.stringify(entry.file), entry.filename, JSON.stringify(entry.chunks));
  }

  deleteFile(storeId: string, fileId: string): void {
    this.db.prepare("DELETE FROM vector_store_files WHERE store_id = ? AND file_id = ?").run(storeId, fileId);
  }

  getBatch(id: string): StoredFileBatch | undefined {
    const row = this.db.prepare("SELECT data FROM vector_store_file_batches WHERE id = ?").get(id) as
      | { data: string }
      | undefined;
    return row ? (JSON.parse(row.data) as StoredFileBatch) : undefined;
  }

  saveBatch(batch: StoredFileBatch): void {
    this.db
      .prepare(
        "INSERT INTO vector_store_file_batches (id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
      )
      .run(batch.id, JSON.stringify(batch));
  }
}
