import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Login, Me } from '../../../contracts/auth.js';
import { api, ApiError, setCsrfToken, setUnauthorizedHandler } from './api.js';

/** Who may see a console entry; the server checks every call again. */
/** Who a page is for: administrators of a subtree, platform administrators, members, judges (评委), read-only inspectors (督查/领导). */
export type Audience = 'admin' | 'platformAdmin' | 'member' | 'judge' | 'inspector';

interface Session {
  me: Me | null;
  isLoading: boolean;
  audiences: ReadonlySet<Audience>;
  login: (input: Login) => Promise<Me>;
  logout: () => Promise<void>;
  logoutEverywhere: () => Promise<number>;
}

const Context = createContext<Session | null>(null);
const ME_KEY = ['auth', 'me'] as const;

export function audiencesOf(me: Me | null): Set<Audience> {
  const set = new Set<Audience>();
  if (!me) return set;
  if (me.abilities.isAdmin) set.add('admin');
  if (me.abilities.isPlatformAdmin) set.add('platformAdmin');
  if (me.user.memberId) set.add('member');
  if (me.abilities.isJudge) set.add('judge');
  if (me.abilities.isInspector || me.abilities.readOnlyPaths.length > 0) set.add('inspector');
  return set;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const meQuery = useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      try {
        const result = await api.get<Me>('/auth/me');
        setCsrfToken(result.csrfToken);
        return result;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Infinity,
    retry: false,
  });
  const me = meQuery.data ?? null;

  useEffect(() => {
    setCsrfToken(me?.csrfToken ?? null);
  }, [me]);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      queryClient.setQueryData(ME_KEY, null);
    });
    return () => setUnauthorizedHandler(null);
  }, [queryClient]);

  const value = useMemo<Session>(() => {
    // everything cached belongs to the previous user (the session query itself stays observed)
    const forgetData = () => queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    const signedOut = () => {
      setCsrfToken(null);
      forgetData();
      queryClient.setQueryData(ME_KEY, null);
    };
    return {
      me,
      isLoading: meQuery.isLoading,
      audiences: audiencesOf(me),
      async login(input) {
        const result = await api.post<Me>('/auth/login', input);
        setCsrfToken(result.csrfToken);
        forgetData();
        queryClient.setQueryData(ME_KEY, result);
        return result;
      },
      async logout() {
        try {
          await api.post('/auth/logout');
        } finally {
          signedOut();
        }
      },
      async logoutEverywhere() {
        const { endedSessions } = await api.post<{ endedSessions: number }>('/auth/logout-everywhere');
        signedOut();
        return endedSessions;
      },
    };
  }, [me, meQuery.isLoading, queryClient]);

  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): Session {
  const context = useContext(Context);
  if (!context) throw new Error('useSession outside SessionProvider');
  return context;
}
