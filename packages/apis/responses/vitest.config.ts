import { defineApiConfig } from "@llama-stack-tests/stack/vitest-config";

export default defineApiConfig({ api: "responses" });
