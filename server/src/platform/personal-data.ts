import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Personal data (ID numbers, phones) at rest: AES-256-GCM with a key from the environment
 * (DATA_KEY, base64 of 32 bytes), plus an HMAC "blind index" derived from the same key so that
 * uniqueness and exact search work without decrypting. The key never lives in the source.
 */
export interface PersonalDataCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  blindIndex(plain: string): string;
}

export function loadDataKey(configured: string | undefined, dataDir: string): Buffer {
  if (configured) {
    const key = Buffer.from(configured, 'base64');
    if (key.length !== 32) throw new Error('DATA_KEY must be base64 of exactly 32 bytes');
    return key;
  }
  // Embedded/dev mode: a key generated once and kept beside the data it protects.
  const file = path.join(dataDir, 'data.key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

export function createCipher(key: Buffer): PersonalDataCipher {
  const encKey = crypto.createHmac('sha256', key).update('encrypt').digest();
  const indexKey = crypto.createHmac('sha256', key).update('blind-index').digest();
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    decrypt(sealed) {
      const raw = Buffer.from(sealed.slice(3), 'base64url');
      const decipher = crypto.createDecipheriv('aes-256-gcm', encKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
    blindIndex(plain) {
      return crypto.createHmac('sha256', indexKey).update(plain).digest('base64url');
    },
  };
}

/** 320102199001011234 → 3201**********1234 */
export function maskIdNumber(id: string): string {
  return id.slice(0, 4) + '*'.repeat(Math.max(id.length - 8, 0)) + id.slice(-4);
}

/** 13812345678 → 138****5678 */
export function maskPhone(phone: string): string {
  return phone.slice(0, 3) + '****' + phone.slice(-4);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643-1999 citizen ID: 17 digits, ISO 7064 MOD 11-2 check character, a real birth date. */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  if (ID_CHECK[sum % 11] !== id[17]) return false;
  const y = Number(id.slice(6, 10)), m = Number(id.slice(10, 12)), d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && date.getTime() <= Date.now();
}

/** Completes 17 digits with their check character (for generators and tests). */
export function withIdCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return first17 + ID_CHECK[sum % 11];
}

/** Mainland mobile numbers: 11 digits starting 13–19. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;
