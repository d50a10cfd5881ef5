import { yuan } from '../../../../contracts/dues.js';

/** Amounts are kept in fen; the pages show 元 with two decimals (the contract's `yuan`, never floats). */
export { yuan };

const YUAN_TEXT = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/**
 * '3000.01' → 300001: the decimal text is split, not multiplied as a float (3000.01 × 100 is
 * 300000.99999999994). Null for anything that is not an amount of at most two decimals.
 */
export function fenOf(text: string | null | undefined): number | null {
  const match = YUAN_TEXT.exec((text ?? '').trim());
  if (!match) return null;
  const [, whole = '0', cents = ''] = match;
  return Number(whole) * 100 + Number(cents.padEnd(2, '0'));
}

/** 300001 → '3000.01', for an input that holds 元 text. */
export const yuanText = (fen: number | null | undefined): string | undefined => (fen == null ? undefined : yuan(fen));
