import { join } from "node:path";
import type { StackContext } from "../../server/types.js";
import { FilesStore } from "./store.js";

const stores = new WeakMap<StackContext, FilesStore>();

/**
 * The one files store of a stack: the Files routes, vector stores and batches all read and write
 * uploads through it (bytes under `<dataDir>/files`, metadata in the stack database).
 */
export function filesStoreOf(ctx: StackContext): FilesStore {
  let store = stores.get(ctx);
  if (!store) {
    store = new FilesStore({ db: ctx.db, dir: join(ctx.dataDir, "files"), mintId: ctx.mintId });
    stores.set(ctx, store);
  }
  return store;
}
