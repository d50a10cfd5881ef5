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
  routes?: readonly { path: string; page: LazyExoticComponent<ComponentType> }[];
}

export function isVisibleTo(entry: ConsoleEntry, audiences: ReadonlySet<Audience>): boolean {
  return !entry.roles || entry.roles.some((r) => audiences.has(r));
}
