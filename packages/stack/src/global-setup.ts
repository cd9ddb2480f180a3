import type { TestProject } from "vitest/node";
import { startStack, applyRunEnv } from "./lifecycle/start.js";
import { readOptions } from "./options.js";
import { PROVIDE_KEY } from "./provided.js";
import "./provided.js";

/**
 * vitest globalSetup of every API package: resolves the run's options from LLAMA_STACK_TEST_*
 * env, starts the stack once for the package's run and provides it to the test workers.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const options = readOptions();
  const supplied = applyRunEnv(options);
  const stack = await startStack(options, supplied, process.env, project.name || undefined);
  console.log(`[llama-stack-tests] setup ${options.setupName}, ${options.inferenceMode}: ${stack.description}`);
  project.provide(PROVIDE_KEY, { baseUrl: stack.baseUrl, options });
  return () => stack.close();
}
