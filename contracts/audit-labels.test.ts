import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS } from './audit.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../server/src');
const sources = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
  const file = path.join(dir, e.name);
  return e.isDirectory() ? sources(file) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [file] : [];
});

describe('audit action labels', () => {
  it('names every action the server records, so the audit browser never shows a bare code', () => {
    const recorded = new Set<string>();
    for (const file of sources(serverDir)) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/action: '([a-z_]+\.[a-z_]+)'/g)) recorded.add(m[1]!);
    }
    expect(recorded.size).toBeGreaterThan(50);
    expect([...recorded].filter((action) => !AUDIT_ACTION_LABELS[action]).sort()).toEqual([]);
  });
});
