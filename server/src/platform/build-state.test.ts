import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TARGETS, forgetBuild, planBuild, recordBuild, type BuildTarget } from '../../../scripts/build-state.mjs';

// `npm start` rebuilds the server and the web console only when their inputs changed: decided here on a temporary tree
const server = TARGETS.find((t) => t.name === 'server')!;
const web = TARGETS.find((t) => t.name === 'web')!;
let root: string;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}
/** What a build does: writes the outputs, then the stamp. */
function build(target: BuildTarget): void {
  const plan = planBuild(root, target);
  write(target.output, `built ${Date.now()}`);
  write(target.fingerprint, `record ${Math.random()}`);
  recordBuild(root, target, plan);
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dangjian-build-state-'));
  write('package.json', '{}');
  write('package-lock.json', '{"lockfileVersion":3}');
  write('tsconfig.json', '{}');
  write('tsconfig.build.json', '{}');
  write('server/src/main.ts', 'console.log(1);');
  write('server/src/platform/app.ts', 'export const a = 1;');
  write('contracts/members.ts', 'export const m = 1;');
  write('web/src/main.tsx', 'export const w = 1;');
  write('web/src/app.css', 'body {}');
  write('web/vite.config.ts', 'export default {};');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('build stamps', () => {
  it('builds the first time, then both are up to date', () => {
    expect(planBuild(root, server)).toMatchObject({ upToDate: false, reason: '首次构建' });
    expect(planBuild(root, web)).toMatchObject({ upToDate: false, reason: '首次构建' });
    build(server);
    build(web);
    expect(planBuild(root, server)).toMatchObject({ upToDate: true, reason: null, changed: [] });
    expect(planBuild(root, web)).toMatchObject({ upToDate: true, reason: null, changed: [] });
  });

  it('a changed server file rebuilds the server only; a changed web file the web only', () => {
    build(server);
    build(web);
    write('server/src/platform/app.ts', 'export const a = 2;');
    expect(planBuild(root, server)).toMatchObject({ upToDate: false, changed: ['server/src/platform/app.ts'] });
    expect(planBuild(root, server).reason).toContain('server/src/platform/app.ts');
    expect(planBuild(root, web).upToDate).toBe(true);
    build(server);
    write('web/src/app.css', 'body { margin: 0 }');
    expect(planBuild(root, web)).toMatchObject({ upToDate: false, changed: ['web/src/app.css'] });
    expect(planBuild(root, server).upToDate).toBe(true);
  });

  it('a contract, the lock file or an added or removed file rebuilds; a test file or web/dist does not', () => {
    build(server);
    build(web);
    write('server/src/platform/app.test.ts', 'test');
    write('web/dist/assets/x.js', 'built');
    expect(planBuild(root, server).upToDate).toBe(true);
    expect(planBuild(root, web).upToDate).toBe(true);

    write('contracts/members.ts', 'export const m = 2;');
    expect(planBuild(root, server).changed).toEqual(['contracts/members.ts']);
    expect(planBuild(root, web).changed).toEqual(['contracts/members.ts']);
    build(server);
    build(web);

    write('package-lock.json', '{"lockfileVersion":3,"packages":{}}');
    expect(planBuild(root, server).upToDate).toBe(false);
    expect(planBuild(root, web).upToDate).toBe(false);
    build(server);
    build(web);

    write('server/src/platform/new.ts', 'export {};');
    expect(planBuild(root, server).changed).toEqual(['server/src/platform/new.ts']);
    build(server);
    fs.rmSync(path.join(root, 'server/src/platform/new.ts'));
    expect(planBuild(root, server).changed).toEqual(['server/src/platform/new.ts']);
  });

  it('the same content with a new modification time is up to date; a change of the same size is not', () => {
    build(server);
    const file = path.join(root, 'server/src/main.ts');
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(file, later, later);
    expect(planBuild(root, server).upToDate).toBe(true);
    fs.writeFileSync(file, 'console.log(2);');
    fs.utimesSync(file, later, later);
    expect(planBuild(root, server)).toMatchObject({ upToDate: false, changed: ['server/src/main.ts'] });
  });

  it('a missing output, an output rebuilt elsewhere or a forgotten stamp rebuilds', () => {
    build(server);
    build(web);
    fs.rmSync(path.join(root, web.output));
    expect(planBuild(root, web)).toMatchObject({ upToDate: false, reason: `${web.output} 不存在` });
    build(web);
    write(server.fingerprint, 'tsc ran without the start script');
    expect(planBuild(root, server)).toMatchObject({ upToDate: false, reason: '上次构建之后输出被改动过' });
    build(server);
    forgetBuild(root, server);
    expect(planBuild(root, server)).toMatchObject({ upToDate: false, reason: '没有上次构建的记录' });
  });
});
