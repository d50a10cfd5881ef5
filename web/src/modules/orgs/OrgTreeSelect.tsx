import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import type { Org } from '../../../../contracts/orgs.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useOrgTree } from './useOrgTree.js';

interface Node {
  value: string;
  title: string;
  isLeaf: boolean;
  children?: Node[];
}

/**
 * Pick an org of the viewer's scope from the tree (children load as nodes open). A value deeper
 * than the loaded levels (a link such as /members?orgId=…) is named by fetching that one org.
 */
export function OrgTreeSelect({ value, onChange, placeholder, allowClear = true, style, id, 'aria-label': ariaLabel }: {
  value?: string | null;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
  /** A name where no form label gives one (a row of a list of orgs). */
  'aria-label'?: string;
}) {
  const t = useT();
  const { roots, children, loadChildren } = useOrgTree();
  const titleOf = (o: Pick<Org, 'name' | 'type'>) => `${o.name}（${t(`org_type.${o.type}`)}）`;
  const { treeData, loadedTitles } = useMemo(() => {
    const titles = new Map<string, string>();
    const build = (orgs: Org[]): Node[] => orgs.map((o) => {
      const title = `${o.name}（${t(`org_type.${o.type}`)}）`;
      titles.set(o.id, title);
      return { value: o.id, title, isLeaf: o.childCount === 0, children: children[o.id] ? build(children[o.id] ?? []) : undefined };
    });
    return { treeData: build(roots ?? []), loadedTitles: titles };
  }, [roots, children, t]);
  const isUnloaded = !!value && roots !== null && !loadedTitles.has(value);
  const chosen = useQuery({
    queryKey: ['orgs', 'one', value],
    queryFn: ({ signal }) => api.get<Org>(`/orgs/${value}`, undefined, signal),
    enabled: isUnloaded,
    staleTime: 60_000,
    retry: false,
  });
  const label = value ? (loadedTitles.get(value) ?? (chosen.data ? titleOf(chosen.data) : chosen.isError ? value : '…')) : undefined;
  return (
    <TreeSelect
      id={id}
      // a filter outside a form is named by its placeholder; inside a form the form's label names it
      aria-label={ariaLabel ?? (id ? undefined : placeholder ?? t('org.picker'))}
      // labelled, so that an org not (yet) in the loaded levels shows its name rather than its id
      labelInValue
      value={value ? { value, label } : undefined}
      onChange={(v?: { value: string; label?: React.ReactNode }) => onChange?.(v?.value)}
      treeData={treeData}
      loadData={async (node) => { await loadChildren(String(node.value)); }}
      placeholder={placeholder}
      allowClear={allowClear}
      showSearch
      treeNodeFilterProp="title"
      style={{ minWidth: 220, ...style }}
      popupMatchSelectWidth={false}
      loading={roots === null}
    />
  );
}
