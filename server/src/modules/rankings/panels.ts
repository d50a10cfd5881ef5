import type { Actor } from '../../platform/actor.js';
import type { Queryable, Tx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { addPanelEntries, closePanel, createPanel, panelResults } from '../judging/service.js';

/*
 * 擂台赛 through the judging engine: the event keeps the panel's id; judges score on the judging
 * module's own pages (conflict of interest and the trimmed mean are the engine's rules), and computing
 * a period reads each registered org's score (0–100) from the panel's results.
 */

/** One criterion: the presentation as a whole, 0–100 (the engine normalises weights). */
const CRITERIA = [{ key: 'overall', name: '现场展示', weight: 1, maxScore: 100 }];

export async function openEventPanel(tx: Tx, actor: Actor, event: {
  id: string; title: string; orgId: string; blind: boolean; judgeUserIds: string[]; orgs: { id: string; name: string }[];
}): Promise<string> {
  const { panelId } = await createPanel(tx, actor, {
    ownerModule: 'rankings', ownerRef: event.id, title: event.title, orgId: event.orgId, criteria: CRITERIA, blind: event.blind, judgeUserIds: event.judgeUserIds,
  });
  await addPanelEntries(tx, actor, panelId, event.orgs.map((o) => ({ ref: `${event.id}:${o.id}`, orgId: o.id, title: o.name })));
  return panelId;
}

/** Each org's score on the panel (null: not scored yet). */
export async function eventScores(q: Queryable, panelId: string): Promise<Map<string, number | null>> {
  return new Map((await panelResults(q, panelId)).map((r) => [r.orgId, r.score]));
}

/** Publishing a period makes its events' results final. */
export async function closeEventPanel(tx: Tx, actor: Actor, panelId: string): Promise<void> {
  try {
    await closePanel(tx, actor, panelId);
  } catch (error) {
    // closed already on the judging pages: its results are final either way
    if (!(error instanceof AppError && error.code === 'judging.panel_closed')) throw error;
  }
}
