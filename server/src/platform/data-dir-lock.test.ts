import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from './data-dir-lock.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-lock-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('lockDataDir', () => {
  it('refuses a second holder until the first releases it', () => {
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    release();
    const again = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'dangjian.lock'), 'utf8')).toBe(String(process.pid));
    again();
    expect(fs.existsSync(path.join(dir, 'dangjian.lock'))).toBe(false);
  });

  it('takes over a lock left by a process that has ended', () => {
    const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    fs.writeFileSync(path.join(dir, 'dangjian.lock'), ended.stdout.toString());
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'dangjian.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});
