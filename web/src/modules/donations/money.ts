/** Money is kept in fen; the pages show and take yuan with two decimals. */
export const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
export const toFen = (yuanAmount: number) => Math.round(yuanAmount * 100);
