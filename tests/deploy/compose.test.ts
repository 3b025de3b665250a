import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/**
 * No Docker engine runs on our machines, so these tests read the real compose.yaml,
 * Dockerfiles, Caddyfile and .env.example and check the properties the deployment relies on.
 */

const root = join(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

type Service = {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  command?: string[] | string;
  ports?: unknown[];
  expose?: unknown[];
  volumes?: (string | { source?: string })[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
  environment?: Record<string, unknown>;
  profiles?: string[];
  networks?: string[] | Record<string, unknown>;
  network_mode?: string;
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown>; networks?: Record<string, { internal?: boolean } | null> };

const composeText = read("compose.yaml");
const compose = parse(composeText, { merge: true }) as Compose;
const services = compose.services;

/** An image reference with an explicit tag that is not `latest` (digests also count). */
function isPinned(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const lastSegment = image.split("/").pop()!;
  const colon = lastSegment.lastIndexOf(":");
  if (colon < 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return tag.length > 0 && tag !== "latest" && !/^\$\{[^}]*\}$/.test(tag.replace(/:-[^}]*/, ""));
}

function dependsOn(service: Service): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([name, v]) => [name, v?.condition]));
}

function healthcheckCommand(service: Service): string {
  const test = service.healthcheck?.test;
  return Array.isArray(test) ? test.join(" ") : (test ?? "");
}

/** Expands ${VAR:-default} in an image reference with its default, as compose would with .env unset. */
function withDefaults(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+):?-([^}]*)\}/g, "$2");
}

describe("compose.yaml", () => {
  it("defines the production services", () => {
    for (const name of ["postgres", "migrate", "site", "backoffice", "proxy"]) {
      expect(services, `service ${name}`).toHaveProperty(name);
    }
  });

  it("pins every image to an explicit tag (never latest)", () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.image) expect(isPinned(withDefaults(service.image)), `${name}: ${service.image}`).toBe(true);
      else expect(service.build, `${name} has neither image nor build`).toBeDefined();
    }
    expect(services.postgres!.image).toMatch(/^postgres:15\.\d+/);
    expect(services.proxy!.image).toMatch(/^caddy:2\.\d+/);
  });

  it("keeps uploaded posters on a volume: written by the back-office, read by the site", () => {
    expect(compose.volumes ?? {}).toHaveProperty("posters");
    expect((services.backoffice!.volumes ?? []).map(String)).toContain("posters:/app/posters");
    expect((services.site!.volumes ?? []).map(String)).toContain("posters:/app/posters:ro");
    for (const name of ["site", "backoffice"]) expect(services[name]!.environment?.POSTER_DIR, name).toBe("/app/posters");
  });

  it("keeps PostgreSQL internal, persistent and health-checked", () => {
    const pg = services.postgres!;
    expect(pg.ports ?? []).toEqual([]);
    const named = (pg.volumes ?? [])
      .map((v) => (typeof v === "string" ? v.split(":")[0]! : (v.source ?? "")))
      .filter((source) => !source.startsWith(".") && !source.startsWith("/"));
    expect(named.length).toBeGreaterThan(0);
    for (const volume of named) expect(compose.volumes ?? {}, `named volume ${volume}`).toHaveProperty(volume);
    expect(healthcheckCommand(pg)).toContain("pg_isready");
    // Its only network is internal (no route to or from the outside).
    const networks = Array.isArray(pg.networks) ? pg.networks : Object.keys(pg.networks ?? {});
    expect(networks.length).toBeGreaterThan(0);
    for (const network of networks) expect(compose.networks?.[network]?.internal, `network ${network}`).toBe(true);
  });

  it("publishes ports only on the proxy, 80 and 443", () => {
    const publishing = Object.entries(services)
      .filter(([, s]) => (s.ports ?? []).length > 0)
      .map(([name]) => name);
    expect(publishing).toEqual(["proxy"]);
    const ports = (services.proxy!.ports ?? []).map(String);
    expect(ports.some((p) => /(^|:)80(:80)?$/.test(p) || p === "80:80")).toBe(true);
    expect(ports.some((p) => p.startsWith("443:443"))).toBe(true);
  });

  // Issue 13, finding 7: reached directly, the site trusts an X-Forwarded-For the client
  // wrote itself, and every per-address limit is gone. Only the proxy may be reachable.
  it("leaves the apps reachable only through the proxy: no published or host-network port, and deployment.md says why", () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.network_mode, `${name} network_mode`).toBeUndefined();
      if (name !== "proxy") expect(service.ports ?? [], `${name} ports`).toEqual([]);
    }
    // The apps trust exactly one proxy hop, the one compose puts in front of them.
    expect(services.site!.environment).toMatchObject({ ADDRESS_HEADER: "X-Forwarded-For", XFF_DEPTH: 1 });
    const deployment = read(join("docs", "deployment.md"));
    expect(deployment).toMatch(/site's port \(3000\) must never be reachable except through the proxy/);
  });

  it("runs migrations once, after PostgreSQL is healthy, before the apps start", () => {
    const migrate = services.migrate!;
    const command = Array.isArray(migrate.command) ? migrate.command.join(" ") : (migrate.command ?? "");
    expect(command).toContain("packages/db/dist/cli/migrate.js");
    expect(dependsOn(migrate)).toMatchObject({ postgres: "service_healthy" });
    expect((migrate as { restart?: string }).restart).toBe("no");
    for (const app of ["site", "backoffice"]) {
      expect(dependsOn(services[app]!), app).toMatchObject({ migrate: "service_completed_successfully" });
    }
  });

  it("health-checks the site and back-office on /healthz with node's fetch", () => {
    for (const [app, port] of [
      ["site", 3000],
      ["backoffice", 3001],
    ] as const) {
      const command = healthcheckCommand(services[app]!);
      expect(command, app).toContain(`:${port}/healthz`);
      expect(command, app).toMatch(/\bnode\b/);
      expect(command, app).not.toMatch(/\b(curl|wget)\b/);
    }
  });

  it("starts the apps with the documented commands and production settings", () => {
    const site = services.site!;
    const backoffice = services.backoffice!;
    expect(site.command).toEqual([
      "node",
      "--max-semi-space-size=8",
      "--max-old-space-size=160",
      "--v8-pool-size=2",
      "--no-wasm-tier-up",
      "site/build/index.js",
    ]);
    expect(backoffice.command).toEqual(["node", "--max-semi-space-size=8", "--max-old-space-size=192", "--v8-pool-size=2", "backoffice/dist/server.js"]);
    // The image's default command is the site's, memory flags included (the bench reads them
    // from compose.yaml: docs/performance.md, "Memory").
    const cmd = read(join("deploy", "Dockerfile")).match(/^CMD\s+(\[.*\])\s*$/m)?.[1];
    expect(JSON.parse(cmd ?? "null")).toEqual(site.command);
    for (const app of [site, backoffice]) {
      expect(app.environment?.NODE_ENV).toBe("production");
      expect(String(app.environment?.SESSION_SECRET)).toMatch(/^\$\{SESSION_SECRET:\?/);
      expect(String(app.environment?.HOST)).toBe("0.0.0.0");
    }
    // Behind Caddy, rate limits must key on the visitor's address, not the proxy's.
    expect(site.environment?.ADDRESS_HEADER).toBe("X-Forwarded-For");
  });

  it("runs compiled JavaScript: no TypeScript loader, no .ts entry point", () => {
    const dockerfile = read(join("deploy", "Dockerfile"));
    const commands = [
      ...Object.values(services).map((s) => (Array.isArray(s.command) ? s.command.join(" ") : (s.command ?? ""))),
      ...[...dockerfile.matchAll(/^(?:CMD|ENTRYPOINT)\s+(.+)$/gm)].map((m) => m[1]!),
    ];
    expect(commands.filter(Boolean).length).toBeGreaterThanOrEqual(4);
    for (const command of commands) {
      expect(command).not.toMatch(/\btsx\b|ts-node|--experimental-strip-types|\.ts\b/);
      expect(command).not.toMatch(/\bnpm\b/);
    }
  });

  it("routes /admin to the back-office and the rest to the site behind TLS for {$DOMAIN}", () => {
    const mounts = (services.proxy!.volumes ?? []).map(String);
    const caddyMount = mounts.find((m) => m.endsWith(":/etc/caddy/Caddyfile:ro") || m.includes("/etc/caddy/Caddyfile"));
    expect(caddyMount).toBeDefined();
    const caddyfile = read(caddyMount!.split(":")[0]!.replace(/^\.\//, ""));
    expect(caddyfile).toMatch(/^\{\$DOMAIN\}\s*\{/m);
    // Case-sensitive: Caddy's `path` matcher would also send /ADMIN past the session layer.
    expect(caddyfile).toMatch(/@backoffice path_regexp \^\/admin\(\/\|\$\)/);
    expect(caddyfile).toMatch(/handle @backoffice\s*\{[^}]*\}?[\s\S]*?reverse_proxy backoffice:3001/);
    expect(caddyfile).toMatch(/name site\s+port 3000/);
    expect(services.proxy!.environment).toHaveProperty("DOMAIN");
  });

  it("documents every variable it uses in .env.example", () => {
    const used = new Set([...composeText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!));
    expect(used.size).toBeGreaterThan(10);
    const documented = documentedVariables();
    const missing = [...used].filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });
});

function documentedVariables(): Set<string> {
  return new Set([...read(".env.example").matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!));
}

describe(".env.example", () => {
  const text = read(".env.example");

  it("documents every variable the configuration reads", () => {
    const config = read("packages/api/src/config.ts");
    const schema = config.slice(config.indexOf("z.object({"), config.indexOf("});", config.indexOf("z.object({")));
    const keys = [...schema.matchAll(/^\s{2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(keys).toContain("DATABASE_URL");
    const documented = documentedVariables();
    expect(keys.filter((key) => !documented.has(key))).toEqual([]);
  });

  it("holds no real secrets", () => {
    for (const name of ["SESSION_SECRET", "POSTGRES_PASSWORD", "SMTP_URL"]) {
      expect(text, name).toMatch(new RegExp(`^${name}=$`, "m"));
    }
    expect(text).not.toMatch(/^DATABASE_URL=\S/m);
  });
});

describe("Dockerfiles", () => {
  const dockerfiles = readdirSync(join(root, "deploy")).filter((f) => /^Dockerfile(\..+)?$/.test(f) && !f.endsWith(".dockerignore"));

  it("exist for every built service", () => {
    expect(dockerfiles.length).toBeGreaterThan(0);
    for (const [name, service] of Object.entries(services)) {
      if (!service.build) continue;
      const file = typeof service.build === "string" ? "Dockerfile" : (service.build.dockerfile ?? "Dockerfile");
      expect(readFileSync(join(root, typeof service.build === "string" ? service.build : (service.build.context ?? "."), file), "utf8"), name).toMatch(
        /^FROM /m,
      );
    }
  });

  for (const file of ["Dockerfile"]) {
    describe(`deploy/${file}`, () => {
      const text = read(join("deploy", file));
      const args = Object.fromEntries([...text.matchAll(/^ARG ([A-Z_]+)=(\S+)/gm)].map((m) => [m[1]!, m[2]!]));
      const stages = [...text.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((m) => ({ from: m[1]!, name: m[2] }));
      const stageNames = new Set(stages.map((s) => s.name).filter(Boolean));

      it("is multi-stage: deps, build, runtime", () => {
        expect(stages.length).toBeGreaterThanOrEqual(3);
        expect(stages.at(-1)!.name).toBe("runtime");
      });

      it("uses explicit base image tags", () => {
        for (const stage of stages) {
          if (stageNames.has(stage.from)) continue;
          const image = stage.from.replace(/^\$\{([A-Z_]+)\}$/, (_, arg: string) => args[arg] ?? "");
          expect(isPinned(image), `FROM ${stage.from} -> ${image}`).toBe(true);
          expect(image).toMatch(/^node:24\.\d+\.\d+-/);
        }
      });

      it("runs the Node release that development and CI run (the `node` devDependency)", () => {
        const devNode = (JSON.parse(read("package.json")) as { devDependencies: Record<string, string> }).devDependencies.node;
        const images = stages.filter((s) => !stageNames.has(s.from)).map((s) => s.from.replace(/^\$\{([A-Z_]+)\}$/, (_, arg: string) => args[arg] ?? ""));
        expect(devNode).toMatch(/^\d+\.\d+\.\d+$/);
        for (const image of images) expect(image).toBe(`node:${devNode}-bookworm-slim`);
      });

      it("runs the final stage as a non-root user", () => {
        const runtime = text.slice(text.search(/^FROM\s+\S+\s+AS\s+runtime/im));
        const users = [...runtime.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]!);
        expect(users.length).toBeGreaterThan(0);
        expect(["root", "0", "0:0"]).not.toContain(users.at(-1));
      });

      it("copies every workspace's package.json before npm ci (or npm ci fails)", () => {
        const workspaces = (JSON.parse(read("package.json")) as { workspaces: string[] }).workspaces.flatMap((pattern) =>
          pattern.endsWith("/*")
            ? readdirSync(join(root, pattern.slice(0, -2)), { withFileTypes: true })
                .filter((d) => d.isDirectory())
                .map((d) => `${pattern.slice(0, -2)}/${d.name}`)
            : [pattern],
        );
        const dirs = workspaces.filter((dir) => existsSync(join(root, dir, "package.json")));
        expect(dirs.length).toBeGreaterThanOrEqual(4);
        const deps = text.slice(0, text.search(/^RUN .*npm ci\b/m));
        for (const dir of dirs) expect(deps, dir).toMatch(new RegExp(`^COPY ${dir.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}/package\\.json `, "m"));
      });

      it("installs from the committed lockfile", () => {
        expect(text).toMatch(/^RUN .*npm ci\b/m);
        expect(text).toContain("package-lock.json");
      });
    });
  }
});
