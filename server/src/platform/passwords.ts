import { hash, verify } from '@node-rs/argon2';
import { invalidField } from './errors.js';
import { defineMessages } from './i18n.js';

/**
 * argon2id with OWASP's second recommended profile (19 MiB, 2 passes, 1 lane): ~70 ms on one
 * core of the reference machine. Hashing runs on libuv's thread pool, not the event loop.
 */
export const PASSWORD_HASH_PARAMS = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_PARAMS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Verified against when the username does not exist, so both cases take the same time.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('no-such-user-timing-equaliser');
  return dummyHash;
}

/**
 * Refuses a password that a guesser tries early: common passwords, keyboard patterns (1qaz2wsx),
 * dates, repeats and anything built from the account's own names — scored by zxcvbn-ts with the
 * common and English dictionaries plus Chinese pinyin favourites; 3 of 4 is required ("safely
 * unguessable" against an online attack that the sign-in throttle slows further). The dictionaries
 * load on first use.
 */
export async function assertStrongPassword(password: string, field: string, userInputs: (string | null | undefined)[]): Promise<void> {
  const estimator = await passwordEstimator();
  const inputs = userInputs.filter((s): s is string => !!s).flatMap((s) => [s, s.toLowerCase(), ...s.split(/[^\p{L}\p{N}]+/u)]).filter((s) => s.length >= 2);
  if (estimator.check(password, inputs).score < 3) throw invalidField(field, 'auth.password_guessable');
}

/** Pinyin a Chinese user reaches for, and the site's own words. */
const PINYIN = ['woaini', 'woaizhongguo', 'zhongguo', 'zhonghua', 'dangjian', 'dangjianyun', 'gongchandang', 'dangyuan', 'zhibu',
  'shuji', 'jiguan', 'gongwei', 'beijing', 'shanghai', 'admin', 'mima', 'woaiwojia', 'aini', 'zhangsan', 'lisi', 'wangwu', 'nihao'];

let estimator: Promise<import('@zxcvbn-ts/core').ZxcvbnFactory> | undefined;
function passwordEstimator() {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]);
    return new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary, pinyin: PINYIN }, graphs: common.adjacencyGraphs, translations: en.translations });
  })();
  return estimator;
}

defineMessages({
  'auth.password_guessable': {
    zh: '密码太容易被猜到（常见密码、键盘序列、日期或含用户名），请换一个更长、更不规则的密码',
    en: 'This password is easy to guess (a common password, keyboard pattern, date or the username); choose a longer, less regular one',
  },
});
