import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

/**
 * The platform (server and console) knows no module: modules import the platform, and the module
 * registries (server/src/modules/index.ts, web/src/modules/index.ts) are handed to it by main.ts, the
 * test harness and App.tsx. An import the other way makes a cycle through every module. The
 * platform's own tests may start a whole server (through the harness) and are not read.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PLATFORM_DIRS = ['server/src/platform', 'web/src/platform'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

/** Every module specifier a source names: import/export … from, side-effect imports, import() and import types. */
function specifiersOf(source: string): string[] {
  const patterns = [/\b(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]!));
}

/** The specifiers of `file` (relative to the repository) that lead into a modules/ folder. */
function moduleImportsOf(file: string, source: string): string[] {
  return specifiersOf(source).filter((specifier) => {
    if (!specifier.startsWith('.')) return false;
    const target = path.relative(root, path.resolve(root, path.dirname(file), specifier));
    return target.split(path.sep).includes('modules');
  });
}

it('finds the imports it looks for, in each way they are written', () => {
  const sample = [
    "import { a } from '../modules/x/a.js';",
    "import type {\n  B,\n} from '../../src/modules/index.js';",
    "export { c } from '../modules/c.js';",
    "import '../modules/side-effect.js';",
    "const page = lazy(() => import('../modules/page.js'));",
    "type T = import('../modules/types.js').T;",
    "import { ok } from './i18n.js';",
    "import fs from 'node:fs';",
  ].join('\n');
  expect(moduleImportsOf('web/src/platform/sample.ts', sample)).toEqual([
    '../modules/x/a.js', '../../src/modules/index.js', '../modules/c.js', '../modules/side-effect.js', '../modules/page.js', '../modules/types.js',
  ]);
});

it('imports nothing from a modules/ folder in the server or console platform', () => {
  const files = PLATFORM_DIRS.flatMap(sourceFiles);
  expect(files.length).toBeGreaterThan(20);
  const offending = files.flatMap((file) => moduleImportsOf(file, fs.readFileSync(path.join(root, file), 'utf8')).map((specifier) => `${file}: ${specifier}`));
  expect(offending, 'the platform must not import a module: hand it what it needs (buildApp({ modules }), <Shell entries>, registerMessages)').toEqual([]);
});
