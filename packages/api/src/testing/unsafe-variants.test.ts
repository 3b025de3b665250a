import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The race tests' control runs prove each concurrency guard matters by injecting a naive
// variant from testing/unsafe-*.ts (or testing/without-*.ts). Production code must never
// reach one, and must not carry a switch that turns a guard off.
const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const productionRoots = ["packages/api/src", "packages/db/src", "site/src", "backoffice/src"];

function productionSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "testing" || entry.name === "node_modules" ? [] : productionSources(path);
    return /\.(ts|js|mjs|svelte)$/.test(entry.name) && !/\.(test|spec|e2e)\.[a-z]+$/.test(entry.name) && !entry.name.endsWith(".fixtures.ts") ? [path] : [];
  });
}

describe("unsafe variants stay in tests", () => {
  const files = productionRoots.flatMap((root) => productionSources(join(repoRoot, root)));

  it("finds the production sources it checks", () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it("no production module imports a testing/unsafe-* or testing/without-* variant", () => {
    const offenders = files.filter((f) => /from\s+["'][^"']*testing\/(unsafe|without)-/.test(readFileSync(f, "utf8")));
    expect(offenders.map((f) => relative(repoRoot, f))).toEqual([]);
  });

  it("no production module reads a SIPARIO_TEST_* switch", () => {
    const offenders = files.filter((f) => readFileSync(f, "utf8").includes("SIPARIO_TEST_"));
    expect(offenders.map((f) => relative(repoRoot, f))).toEqual([]);
  });
});
