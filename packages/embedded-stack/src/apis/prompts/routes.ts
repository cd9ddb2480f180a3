import type { FastifyInstance } from "fastify";

/** Structural stand-in for the server's RouteModule until src/server/types.ts lands. */
type RouteModule = (app: FastifyInstance, ctx: unknown) => void | Promise<void>;

export const registerPromptsRoutes: RouteModule = () => {};
