import { administers, isAdmin, type Actor } from '../../platform/actor.js';
import type { Queryable } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';

/**
 * 驾驶舱 is for the leaders of a subtree: the admins of an org see its dashboard and those of every org
 * under it (a dissolved org's history stays readable); anyone else, or any org outside, is 404.
 */
export async function dashboardOrg(q: Queryable, actor: Actor, orgId: string) {
  if (!isAdmin(actor)) throw notFound('dashboard.org_not_found');
  return managedOrg(q, actor, orgId, { allowDissolved: true, notFoundKey: 'dashboard.org_not_found' });
}

/** The same rule for an org already looked up (getFigures keeps the rows it read under the orgs epoch). */
export const mayOpenDashboard = (actor: Actor, org: { path: string }) => isAdmin(actor) && administers(actor, org.path);

/** A frozen report is read by the admins of its org and above. */
export const canReadReport = (actor: Actor, report: { orgPath: string }) => administers(actor, report.orgPath);
