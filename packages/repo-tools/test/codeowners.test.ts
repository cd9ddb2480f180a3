import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CODEOWNERS_FILE, apiOwners, codeownersFiles, readTeams, renderCodeowners } from "../src/codeowners.js";
import { findRepoRoot, staleFiles, writeDerived } from "../src/files.js";

const root = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A throwaway repository: owners.json plus API packages with the given owners (undefined: none). */
function repo(teams: Record<string, string>, owners: Record<string, string | undefined>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "codeowners-"));
  fs.writeFileSync(path.join(dir, "owners.json"), JSON.stringify({ teams }));
  for (const [api, owner] of Object.entries(owners)) {
    fs.mkdirSync(path.join(dir, "packages", "apis", api), { recursive: true });
    fs.writeFileSync(path.join(dir, "packages", "apis", api, "package.json"), JSON.stringify(owner === undefined ? { name: api } : { name: api, owner }));
  }
  fs.mkdirSync(path.join(dir, ".github"));
  return dir;
}

describe("CODEOWNERS", () => {
  it("the committed file is current, and every API package of this repository has an owner", () => {
    expect(staleFiles(root, codeownersFiles(root)), "run pnpm codeowners and commit .github/CODEOWNERS").toEqual([]);
    const apis = fs.readdirSync(path.join(root, "packages", "apis")).filter((d) => fs.existsSync(path.join(root, "packages", "apis", d, "package.json")));
    expect(apiOwners(root, readTeams(root)).map((o) => o.api)).toEqual(apis.sort());
  });

  it("gives each package directory and its recordings folder to the package's team, handles from owners.json only", () => {
    const dir = repo({ inf: "@acme/inference", docs: "docs@example.com" }, { inference: "inf", files: "docs" });
    try {
      const text = renderCodeowners(apiOwners(dir, readTeams(dir)));
      expect(text.split("\n").filter((l) => l && !l.startsWith("#"))).toEqual([
        "/packages/apis/files/ docs@example.com",
        "/recordings/files/ docs@example.com",
        "/packages/apis/inference/ @acme/inference",
        "/recordings/inference/ @acme/inference",
      ]);
      // Replacing a handle in owners.json is the whole change an adopter makes: the file goes stale until regenerated.
      expect(writeDerived(dir, codeownersFiles(dir))).toEqual([CODEOWNERS_FILE]);
      expect(staleFiles(dir, codeownersFiles(dir))).toEqual([]);
      fs.writeFileSync(path.join(dir, "owners.json"), JSON.stringify({ teams: { inf: "@acme/llm", docs: "docs@example.com" } }));
      expect(staleFiles(dir, codeownersFiles(dir))).toEqual([CODEOWNERS_FILE]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names every package without a valid owner, and bad handles", () => {
    const dir = repo({ inf: "@acme/inference" }, { inference: "inf", files: undefined, safety: "guards" });
    const bad = repo({ inf: "acme inference" }, { inference: "inf" });
    try {
      expect(() => codeownersFiles(dir)).toThrow(
        'packages/apis/files/package.json has no "owner": add "owner": "<team>" with a team of owners.json (inf)\n' +
          "packages/apis/safety/package.json names owner 'guards', which owners.json does not list: add the team there or use one of inf",
      );
      expect(() => codeownersFiles(bad)).toThrow(`owners.json: team 'inf' has handle "acme inference"; use @user, @org/team or an email address`);
      fs.rmSync(path.join(bad, "owners.json"));
      expect(() => codeownersFiles(bad)).toThrow(/owners\.json is missing/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });
});
