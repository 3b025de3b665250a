import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The domain folders import only downward: a folder may use another only if that one never
// uses it back, however indirectly. Biome's noImportCycles guards single files; this guards
// folders (booking <-> tickets and capacity <-> catalogue once were cycles). Left out: the
// tRPC layer (routers, trpc.ts, root.ts, index.ts, server.ts), which sits above every
// folder, and tests and testing/, which may import anything.
const src = fileURLToPath(new URL(".", import.meta.url));

function productionSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "testing" ? [] : productionSources(path);
    if (!entry.name.endsWith(".ts") || /\.(test|fixtures)\.ts$/.test(entry.name) || entry.name.endsWith(".router.ts")) return [];
    return dir === src.replace(/[/\\]$/, "") ? [] : [path];
  });
}

const folderOf = (file: string) => relative(src, file).split(sep)[0]!;

/** folder -> the folders it imports, each with one import that shows it. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of productionSources(src)) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = relative(src, join(dirname(file), spec!));
      const to = target.split(sep)[0]!;
      if (to !== from && target.includes(sep)) edges.set(to, `${relative(src, file)} -> ${target}`);
    }
  }
  return graph;
}

/** Each folder cycle, as the imports that close it. */
function folderCycles(graph: Map<string, Map<string, string>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (folder: string) => {
    state.set(folder, "open");
    path.push(folder);
    for (const next of graph.get(folder)?.keys() ?? []) {
      if (state.get(next) === "open") {
        const loop = [...path.slice(path.indexOf(next)), next];
        cycles.push(loop.slice(1).map((to, i) => graph.get(loop[i]!)!.get(to)!));
      } else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(folder, "done");
  };
  for (const folder of [...graph.keys()].sort()) if (!state.has(folder)) visit(folder);
  return cycles;
}

describe("packages/api layers", () => {
  const graph = folderGraph();

  it("reads the domain folders", () => {
    expect(graph.size).toBeGreaterThan(10);
    expect(graph.get("booking")?.has("lib")).toBe(true);
  });

  it("finds a folder cycle when there is one", () => {
    const withCycle = new Map(graph);
    withCycle.set("lib", new Map([...(graph.get("lib") ?? []), ["booking", "lib/x.ts -> booking/booking.service.ts"]]));
    expect(folderCycles(withCycle).length).toBeGreaterThan(0);
  });

  it("no folder imports one that imports it back", () => {
    expect(folderCycles(graph)).toEqual([]);
  });
});
