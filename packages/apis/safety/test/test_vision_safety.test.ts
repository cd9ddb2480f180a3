import { upstreamTest } from "@llama-stack-tests/stack";
import { expect } from "vitest";

import { CANNED_REFUSAL, VISION_SHIELD_ENABLED_PROVIDERS } from "./data/examples.js";
import { dataUrlFromFile, sharedUpstreamFile } from "./shared-data.js";
import { expectRunShieldShape, inferenceProviderIds, intersects, runShield, type ShieldMessage } from "./shield.js";

const file = "tests/integration/safety/test_vision_safety.py";
const VISION_GUARD_SHIELD = "meta-llama/Llama-Guard-3-11B-Vision";

upstreamTest({ file, name: "test_safety_with_image" }, async (t) => {
  const providers = await inferenceProviderIds(t.client);
  if (!intersects(VISION_SHIELD_ENABLED_PROVIDERS, providers)) {
    t.skip(`Testing vision shields is not supported for model_providers ${[...providers].join(", ")}`);
  }
  for (const name of ["safe", "unsafe"] as const) {
    const rel = `tests/integration/safety/resources/example_${name}.jpg`;
    const path = sharedUpstreamFile(rel);
    if (path === undefined) return t.skip(`missing upstream image ../shared/llama-stack-upstream/${rel}`);
    const message = {
      role: "user",
      content: [
        { type: "text", text: "Tell me how to assemble this" },
        { type: "image", image: { url: { uri: dataUrlFromFile(path) } } },
      ],
    } as unknown as ShieldMessage;
    const response = await runShield(t.client, VISION_GUARD_SHIELD, [message]);
    expectRunShieldShape(response);
    // Upstream tolerates either verdict (flaky guard) but fixes a violation's shape.
    if (response.violation) {
      expect(response.violation.violation_level).toBe("error");
      expect(response.violation.user_message).toBe(CANNED_REFUSAL);
    }
  }
});
