import { parseBody, parseQuery, route, type RouteModule } from "../../server/index.js";
import { addItemsBody, createConversationBody, listItemsQuery, updateConversationBody } from "./schemas.js";
import { ConversationsService } from "./service.js";

/** OpenAI Conversations API: conversations with metadata and their items. */
export const registerConversationsRoutes: RouteModule = (app, ctx) => {
  const conversations = new ConversationsService({ db: ctx.db, mintId: ctx.mintId });
  const conv = (p: Record<string, string>) => p.conversation_id as string;
  const item = (p: Record<string, string>) => p.item_id as string;

  route(app, "POST", "/v1/conversations", (req) => {
    const body = parseBody(createConversationBody, req.body);
    return conversations.create(body.items, body.metadata);
  });
  route(app, "GET", "/v1/conversations/{conversation_id}", (_req, _reply, p) => conversations.get(conv(p)));
  route(app, "POST", "/v1/conversations/{conversation_id}", (req, _reply, p) =>
    conversations.update(conv(p), parseBody(updateConversationBody, req.body).metadata),
  );
  route(app, "DELETE", "/v1/conversations/{conversation_id}", (_req, _reply, p) => conversations.delete(conv(p)));
  route(app, "POST", "/v1/conversations/{conversation_id}/items", (req, _reply, p) =>
    conversations.addItems(conv(p), parseBody(addItemsBody, req.body).items),
  );
  route(app, "GET", "/v1/conversations/{conversation_id}/items", (req, _reply, p) => {
    const { after, limit, order } = parseQuery(listItemsQuery, req.query);
    return conversations.listItems(conv(p), { after, limit, order });
  });
  route(app, "GET", "/v1/conversations/{conversation_id}/items/{item_id}", (_req, _reply, p) =>
    conversations.retrieveItem(conv(p), item(p)),
  );
  route(app, "DELETE", "/v1/conversations/{conversation_id}/items/{item_id}", (_req, _reply, p) =>
    conversations.deleteItem(conv(p), item(p)),
  );
};
