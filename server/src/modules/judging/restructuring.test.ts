import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeUser, startTestApp, type TestContext } from '../../../test/harness.js';
import { itFollows, mergeBranch, moveBranch, restructuringScene, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';
import type { Actor } from '../../platform/actor.js';
import type { JudgingTaskPage } from '../../../../contracts/judging.js';
import { addPanelEntries, createPanel } from './service.js';

/** A branch's judging panels and their entries follow the branch when it moves or merges. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const platform: Actor = { userId: '0', username: 'system', displayName: 'system', memberId: null, isPlatformAdmin: true, isJudge: false, adminPaths: [], ip: '127.0.0.1' };

async function branchPanel(s: RestructuringScene, judgeIds: string[] = []): Promise<{ panelId: string; entryId: string }> {
  const creator = { ...platform, userId: (await makeUser(ctx.database.db, [{ role: 'platform_admin' }])).id };
  return ctx.database.db.transaction(async (tx) => {
    const { panelId } = await createPanel(tx, creator, {
      ownerModule: 'rankings', ownerRef: '1', title: '支部评审', orgId: s.branch.id, blind: false, judgeUserIds: judgeIds,
      criteria: [{ key: 'work', name: '工作实绩', weight: 1, maxScore: 100 }],
    });
    const [entry] = await addPanelEntries(tx, creator, panelId, [{ ref: 'a', orgId: s.branch.id, title: '支部述职' }]);
    return { panelId, entryId: entry!.entryId };
  });
}

const records: Record<string, RecordMaker> = {
  'a panel’s results': async (s) => `/api/judging/panels/${(await branchPanel(s)).panelId}/results`,
};

describe('judging panels follow their org', () => {
  itFollows(() => ctx, records);

  for (const change of ['move', 'merge'] as const) {
    it(`after a ${change}, a judge whose home is the new parent no longer sees the branch’s entry`, async () => {
      const s = await restructuringScene(ctx);
      const judgeUser = await makeUser(ctx.database.db, [{ role: 'judge', org: s.newParent }]);
      const judge = await login(ctx.app, judgeUser);
      const { panelId } = await branchPanel(s, [judgeUser.id]);
      const entriesOf = async () => ((await judge.get('/api/judging/tasks')).json() as JudgingTaskPage).items.find((t) => t.panelId === panelId)?.entries;
      expect(await entriesOf()).toBe(1);
      if (change === 'move') await moveBranch(s);
      else await mergeBranch(s);
      expect(await entriesOf()).toBe(0);
    });
  }
});
