import type { ComponentType, LazyExoticComponent } from 'react';
import type { MessageKey } from './i18n.js';
import type { Audience } from './session.js';

/**
 * What a module gives the shell: a section of the left menu, and its entries with the routes they own.
 * The registry itself is web/src/modules/index.ts; App.tsx hands it to the shell.
 */
export interface ConsoleSection {
  key: string;
  label: MessageKey;
  icon: ComponentType;
  /** Who works in it (any of them); absent means every signed-in user. */
  roles?: readonly Audience[];
}

export interface ConsoleRoute {
  path: string;
  page: LazyExoticComponent<ComponentType>;
  /** Shown alone, without the menu and header: a screen for a projector or a big display. */
  fullScreen?: boolean;
}

export interface ConsoleEntry {
  key: string;
  section: string;
  label: MessageKey;
  icon: ComponentType;
  /** The menu item's path; also the page's route. */
  path: string;
  page: LazyExoticComponent<ComponentType>;
  /** Who sees it (any of them); absent means every signed-in user. */
  roles?: readonly Audience[];
  /** Pages reached from this one (detail, edit) that are not menu items: they light up this entry. */
  routes?: readonly ConsoleRoute[];
}

/** The personal section: a member's own pages, and where a page everyone may open goes for those outside its work's section. */
export const PERSONAL_SECTION = 'mine';

export function isVisibleTo(entry: Pick<ConsoleEntry, 'roles'>, audiences: ReadonlySet<Audience>): boolean {
  return !entry.roles || entry.roles.some((r) => audiences.has(r));
}

export interface MenuGroup {
  section: ConsoleSection;
  entries: ConsoleEntry[];
}

/**
 * The menu a user sees, by the work it serves: 我的 first, then each section of administration the
 * user works in. A page everyone may open (the calendar, the leaderboard) sits in its work's section
 * for those who administer it and in 我的 for the others, so that a member sees 我的 alone.
 */
export function menuGroups(sections: readonly ConsoleSection[], entries: readonly ConsoleEntry[], audiences: ReadonlySet<Audience>): MenuGroup[] {
  const open = new Set(sections.filter((s) => isVisibleTo(s, audiences)).map((s) => s.key));
  const placed = new Map<string, ConsoleEntry[]>();
  for (const entry of entries) {
    if (!isVisibleTo(entry, audiences)) continue;
    const key = open.has(entry.section) ? entry.section : PERSONAL_SECTION;
    placed.set(key, [...(placed.get(key) ?? []), entry]);
  }
  const ordered = [...sections.filter((s) => s.key === PERSONAL_SECTION), ...sections.filter((s) => s.key !== PERSONAL_SECTION)];
  return ordered.map((section) => ({ section, entries: placed.get(section.key) ?? [] })).filter((g) => g.entries.length > 0);
}
