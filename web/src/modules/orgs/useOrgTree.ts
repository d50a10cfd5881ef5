import { useCallback, useEffect, useRef, useState } from 'react';
import type { Org, OrgPage } from '../../../../contracts/orgs.js';
import { api } from '../../platform/api.js';

/**
 * The viewer's part of the org tree, loaded a level at a time: roots from `GET /orgs?roots=1`,
 * children from `GET /orgs/:id/children` when a node is expanded.
 */
export function useOrgTree() {
  const [roots, setRoots] = useState<Org[] | null>(null);
  const [children, setChildren] = useState<Record<string, Org[]>>({});
  const [error, setError] = useState<unknown>(null);
  const loaded = useRef(new Set<string>());

  const loadRoots = useCallback(async () => {
    try {
      const page = await api.get<OrgPage>('/orgs', { roots: 1, pageSize: 200 });
      setRoots(page.items);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);

  const loadChildren = useCallback(async (id: string) => {
    const { items } = await api.get<{ items: Org[] }>(`/orgs/${id}/children`);
    loaded.current.add(id);
    setChildren((c) => ({ ...c, [id]: items }));
    return items;
  }, []);

  /** After a change anywhere (counts roll up, a move changes two branches): reload what is shown. */
  const reload = useCallback(async () => {
    const ids = [...loaded.current];
    await Promise.all([loadRoots(), ...ids.map((id) => loadChildren(id).catch(() => {
      loaded.current.delete(id);
      setChildren((c) => {
        const { [id]: _gone, ...rest } = c;
        return rest;
      });
    }))]);
  }, [loadRoots, loadChildren]);

  useEffect(() => {
    void loadRoots();
  }, [loadRoots]);

  return { roots, children, error, loadChildren, reload };
}
