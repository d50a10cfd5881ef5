import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { serializerCompiler, type FastifyPluginAsyncZod, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../test/harness.js';
import { zodValidatorCompiler } from './validation.js';

/**
 * Every module guards its routes through its own policy.ts: the permission decisions and the SQL
 * scope conditions live there, and `administers` / `inAdminScope` are called only there (and in
 * the platform). health and auth hold no org-scoped records. A diff in the snapshot is a change of
 * who guards a route: review it as one (update with `npx vitest run -u server/src/platform/route-policy.test.ts`).
 */
const modulesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../modules');
const WITHOUT_SCOPED_RECORDS = new Set(['health', 'auth']);

const moduleFolders = fs.readdirSync(modulesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const scopedModules = moduleFolders.filter((m) => !WITHOUT_SCOPED_RECORDS.has(m));
const hasPolicy = (module: string) => fs.existsSync(path.join(modulesDir, module, 'policy.ts'));

/** The .ts files of a module folder (and its sub-folders), relative to the modules folder. */
function sourceFiles(module: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) files.push(path.relative(modulesDir, full).split(path.sep).join('/'));
    }
  };
  walk(path.join(modulesDir, module));
  return files.sort();
}

describe('module policies', () => {
  it('finds the module folders', () => {
    expect(scopedModules.length).toBeGreaterThan(10);
    expect(scopedModules).toContain('orgs');
  });

  it.each(scopedModules)('%s has a policy.ts', (module) => {
    expect(hasPolicy(module), `server/src/modules/${module}/policy.ts is missing`).toBe(true);
  });

  it('calls administers( and inAdminScope( only in policy files', () => {
    const offenders: string[] = [];
    for (const module of moduleFolders) {
      for (const file of sourceFiles(module)) {
        if (file.endsWith('/policy.ts') || file.endsWith('.test.ts')) continue;
        const lines = fs.readFileSync(path.join(modulesDir, file), 'utf8').split('\n');
        lines.forEach((line, i) => {
          if (/\b(administers|inAdminScope)\(/.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(offenders, 'move these decisions into the module\'s policy.ts as named functions').toEqual([]);
  });
});

describe('routes and their policies', () => {
  let ctx: TestContext;
  beforeAll(async () => { ctx = await startTestApp(); });
  afterAll(async () => ctx?.close());

  /** The routes a module's route files declare, registered on their own the way the app registers them. */
  async function routesOf(module: string): Promise<{ method: string; url: string; auth: string }[]> {
    const routes: { method: string; url: string; auth: string }[] = [];
    for (const file of sourceFiles(module).filter((f) => /(^|\/|-)routes\.ts$/.test(f))) {
      const exported = await import(pathToFileURL(path.join(modulesDir, file)).href) as Record<string, unknown>;
      for (const [name, plugin] of Object.entries(exported)) {
        if (typeof plugin !== 'function' || !name.endsWith('Routes')) continue;
        const app = Fastify().withTypeProvider<ZodTypeProvider>();
        // what route files read from the app when they are registered: the running test app's own
        app.decorate('database', ctx.app.database);
        app.decorate('config', ctx.app.config);
        app.decorate('cipher', ctx.app.cipher);
        app.decorate('sessions', ctx.app.sessions);
        app.decorate('lastSeen', ctx.app.lastSeen);
        app.setValidatorCompiler(zodValidatorCompiler);
        app.setSerializerCompiler(serializerCompiler);
        app.addHook('onRoute', (route) => {
          for (const method of [route.method].flat()) {
            if (method !== 'HEAD') routes.push({ method, url: route.url, auth: String(route.config?.auth ?? 'none') });
          }
        });
        await app.register(plugin as FastifyPluginAsyncZod, { prefix: '/api' });
        await app.ready();
        await app.close();
      }
    }
    return routes;
  }

  it('guards every signed-in route by the policy of its module', async () => {
    const listed: string[] = [];
    const byModule = new Set<string>();
    for (const module of moduleFolders) {
      for (const r of await routesOf(module)) {
        byModule.add(`${r.method} ${r.url}`);
        if (r.auth !== 'user') continue;
        const guard = hasPolicy(module) ? `${module}/policy.ts` : WITHOUT_SCOPED_RECORDS.has(module) ? `${module} (no org-scoped records)` : `${module} (NO POLICY)`;
        listed.push(`${r.method.padEnd(6)} ${r.url} → ${guard}`);
      }
    }
    listed.sort();
    // every signed-in route the app serves was found in some module's route files
    const unlisted = ctx.app.routeAuth.filter((r) => r.auth === 'user').map((r) => `${r.method} ${r.url}`).filter((r) => !byModule.has(r));
    expect(unlisted, 'signed-in routes the app serves that no module route file declares').toEqual([]);
    expect(listed.length).toBeGreaterThan(50);
    expect(listed.filter((l) => l.endsWith('(NO POLICY)'))).toEqual([]);
    await expect(listed.join('\n') + '\n').toMatchFileSnapshot('__snapshots__/route-policies.txt');
  });
});
