#!/usr/bin/env node
/**
 * `npm run build` (and so `npm start`): builds the server (tsc, incremental) and the web console
 * (vite) only when their inputs changed since the last build (scripts/build-state.mjs), one line
 * per step instead of the compilers' listings; compiler errors are printed in full and the exit
 * code is not 0, so `npm start` does not start an old build.
 *
 *   node scripts/build.mjs            build what changed
 *   node scripts/build.mjs --force    rebuild both whatever the stamps say
 */
/* global process, console, performance */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TARGETS, forgetBuild, planBuild, recordBuild } from './build-state.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const unknown = [...args].filter((arg) => arg !== '--force');
if (unknown.length) {
  console.error(`scripts/build.mjs: 未知参数 ${unknown.join(' ')}（可用：--force）`);
  process.exit(2);
}

const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

for (const target of TARGETS) {
  const started = performance.now();
  const plan = planBuild(root, target);
  if (plan.upToDate && !args.has('--force')) {
    console.log(`${target.label}… 已是最新（检查用时 ${seconds(started)}）`);
    continue;
  }
  console.log(`${target.label}…（${plan.reason ?? '--force'}）`);
  forgetBuild(root, target);
  // tsc --incremental trusts its record even when the emitted files were deleted: without the output, or when
  // asked to rebuild whatever the stamps say, start over
  const forced = args.has('--force');
  if (target.name === 'server' && (forced || !fs.existsSync(path.join(root, target.output)))) fs.rmSync(path.join(root, target.fingerprint), { force: true });
  const [command, commandArgs] = target.command;
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`${target.label}失败${result.error ? `：${result.error.message}` : ''}（错误见上）`);
    process.exit(result.status || 1);
  }
  recordBuild(root, target, plan);
  console.log(`${target.label}… 完成，用时 ${seconds(started)}`);
}

