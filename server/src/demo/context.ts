import type { Tx } from '../platform/db.js';
import type { PersonalDataCipher } from '../platform/personal-data.js';
import type { Random } from './generate.js';

export interface DemoPlace { id: string; path: string; name: string }

/**
 * What each module's demo seeder gets: the transaction the whole demo is written in, the tree's
 * places and the demo accounts. Seeders run in this order after the tree, members, accounts and
 * dues: activities and venues, learning and exams (points follow them), serving the people.
 */
export interface DemoContext {
  tx: Tx;
  /** Seals personal data as the modules do (micro-wish posters' contacts). */
  cipher: PersonalDataCipher;
  /** Seeded: the same demo every time. */
  random: Random;
  /** Today in China, YYYY-MM-DD. */
  today: string;
  /** 市直机关工委 */
  root: DemoPlace;
  /** 市财政局机关党委, managed by the `bureau` account */
  committee: DemoPlace;
  /** 预算处党支部, the `secretary`'s branch and the `member`'s */
  branch: DemoPlace;
  /** Every organ committee under the root (the fourteen bureaus), the demo's own first. */
  committees: DemoPlace[];
  /** Every org that holds members (branches, including the retirees' and the temporary one). */
  branches: DemoPlace[];
  /** User ids of the demo accounts. */
  users: { admin: string; bureau: string; secretary: string; member: string };
  /** Member ids behind the accounts. */
  members: { bureau: string; secretary: string; member: string };
}
