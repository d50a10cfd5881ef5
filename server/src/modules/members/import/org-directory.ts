import type { OrgType } from '../../../../../contracts/orgs.js';
import type { Queryable } from '../../../platform/db.js';
import { sql, type SQL } from 'drizzle-orm';
import { type Actor } from '../../../platform/actor.js';
import { simplify } from '../../../platform/i18n.js';
import { keepsMemberRoll, orgsInScope } from '../policy.js';
import './messages.js';

// ---------------------------------------------------------------------------------------------
// Orgs by name or path, within the importer's scope

export interface OrgEntry { id: string; parentId: string | null; path: string; name: string; type: OrgType; isDissolved: boolean; isInScope: boolean }

/**
 * The orgs an admin administers plus their ancestors (for full paths that start at the top of
 * the tree). One query; an organ's tree has thousands of orgs at most.
 */
export class OrgDirectory {
  private readonly byId = new Map<string, OrgEntry>();
  private readonly byName = new Map<string, OrgEntry[]>();
  private readonly resolved = new Map<string, { id: string } | { key: string; params: Record<string, string | number> }>();

  constructor(entries: OrgEntry[]) {
    for (const entry of entries) {
      this.byId.set(entry.id, entry);
      const key = simplify(entry.name);
      this.byName.set(key, [...(this.byName.get(key) ?? []), entry]);
    }
  }

  static async load(q: Queryable, actor: Actor): Promise<OrgDirectory> {
    const ancestors: SQL = actor.isPlatformAdmin || actor.adminPaths.length === 0
      ? sql`false`
      : sql.join(actor.adminPaths.map((p) => sql`path @> ${p}::ltree`), sql` or `);
    const scope = orgsInScope(actor, sql`path`);
    const rows = await q.execute<{ id: string; parent_id: string | null; path: string; name: string; type: OrgType; dissolved: boolean; in_scope: boolean } & Record<string, unknown>>(sql`
      select id::text, parent_id::text, path::text, name, type, dissolved_at is not null as dissolved, ${scope} as in_scope
        from orgs where ${scope} or ${ancestors}`);
    return new OrgDirectory(rows.rows.map((r) => ({ id: r.id, parentId: r.parent_id, path: r.path, name: r.name, type: r.type, isDissolved: r.dissolved, isInScope: r.in_scope })));
  }

  get(id: string): OrgEntry | undefined {
    return this.byId.get(id);
  }

  /** 市直机关工委/市财政局机关党委/预算处党支部 */
  fullName(path: string): string {
    return path.split('.').map((id) => this.byId.get(id)?.name ?? '…').join('/');
  }

  /** Orgs a member may be imported into, as full paths (the template's dropdown). */
  importTargets(limit = 2000): string[] {
    return [...this.byId.values()].filter((o) => o.isInScope && !o.isDissolved && keepsMemberRoll(o.type))
      .sort((a, b) => a.path.split('.').length - b.path.split('.').length || Number(a.id) - Number(b.id))
      .slice(0, limit).map((o) => this.fullName(o.path));
  }

  /** An org named by the sheet: its name alone when unique, else a full path or its tail. */
  resolve(text: string): { id: string } | { key: string; params: Record<string, string | number> } {
    const cached = this.resolved.get(text);
    if (cached) return cached;
    const segments = text.split(/[/／>＞\\]/).map((s) => simplify(s.trim())).filter(Boolean);
    const last = segments[segments.length - 1] ?? '';
    const matches = (this.byName.get(last) ?? []).filter((o) => this.endsWith(o, segments));
    const usable = matches.filter((o) => o.isInScope && !o.isDissolved);
    let answer: { id: string } | { key: string; params: Record<string, string | number> };
    if (usable.length === 1) {
      const org = usable[0]!;
      answer = keepsMemberRoll(org.type) ? { id: org.id } : { key: 'member.org_type_not_allowed', params: { type: `org_type.${org.type}` } };
    }
    else if (usable.length > 1) answer = { key: 'member_import.org_ambiguous', params: { org: text, count: usable.length, example: this.fullName(usable[0]!.path) } };
    else if (matches.some((o) => o.isInScope)) answer = { key: 'member_import.org_dissolved', params: { org: text } };
    else answer = { key: 'member_import.org_not_found', params: { org: text } };
    this.resolved.set(text, answer);
    return answer;
  }

  private endsWith(org: OrgEntry, segments: string[]): boolean {
    const names = org.path.split('.').map((id) => simplify(this.byId.get(id)?.name ?? ''));
    if (segments.length > names.length) return false;
    return segments.every((s, i) => names[names.length - segments.length + i] === s);
  }
}
