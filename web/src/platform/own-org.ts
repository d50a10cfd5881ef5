import { useQuery } from '@tanstack/react-query';
import type { MemberDetail } from '../../../contracts/members.js';
import type { OrgPage } from '../../../contracts/orgs.js';
import { api } from './api.js';
import { useSession } from './session.js';

export interface OwnOrg {
  /** The org a page about one org opens on before the user chooses; undefined while it loads, or if the user has none. */
  orgId: string | undefined;
  isLoading: boolean;
}

/**
 * The viewer's own org, for a page that needs one before anything is chosen: the org they
 * administer, else the top of their scope (a platform administrator's tree), else — for a member —
 * their branch. A page shows its figures for it at once instead of asking to choose.
 */
export function useOwnOrg(): OwnOrg {
  const { me } = useSession();
  const administered = me?.user.roles.find((r) => r.role === 'org_admin' && r.orgId)?.orgId ?? undefined;
  const isAdmin = !!me?.abilities.isAdmin;
  const roots = useQuery({
    queryKey: ['orgs', 'roots'],
    queryFn: () => api.get<OrgPage>('/orgs', { roots: 1, pageSize: 200 }),
    enabled: !administered && isAdmin,
  });
  const branch = useQuery({
    queryKey: ['members', 'me'],
    queryFn: () => api.get<MemberDetail>('/members/me'),
    enabled: !administered && !isAdmin && !!me?.user.memberId,
  });
  if (administered) return { orgId: administered, isLoading: false };
  if (isAdmin) return { orgId: roots.data?.items[0]?.id, isLoading: roots.isLoading };
  return { orgId: branch.data?.orgId, isLoading: branch.isLoading };
}

/** The org a page shows: the one chosen, else the viewer's own. */
export function useOrgOrOwn(chosen: string | null | undefined): OwnOrg {
  const own = useOwnOrg();
  return chosen ? { orgId: chosen, isLoading: false } : own;
}
