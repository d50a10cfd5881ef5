import type { Honour } from '../../../../contracts/commendations.js';
import { A4, PdfPage, fitText, renderPdf, wrapText, type Rgb, type TextStyle } from '../../platform/pdf.js';

const RED: Rgb = [0.72, 0.11, 0.11];
const GOLD: Rgb = [0.78, 0.6, 0.2];
const chineseDate = (isoDay: string) => `${isoDay.slice(0, 4)}年${Number(isoDay.slice(5, 7))}月${Number(isoDay.slice(8, 10))}日`;

/** 荣誉证书: one landscape A4 page — the recipient, the honour, the awarding org and the day. */
export function renderHonourCertificate(honour: Honour, createdAt = new Date()): Buffer {
  const page = new PdfPage(A4.height, A4.width);
  const { width: W, height: H } = page;
  page.rect(24, 24, W - 48, H - 48, { width: 3, color: RED }).rect(34, 34, W - 68, H - 68, { width: 1, color: GOLD });
  page.textCentered(H - 120, '荣誉证书', { size: 40, charSpacing: 12, color: RED });
  const body: TextStyle = { size: 18 };
  const left = 110, right = W - 110;
  const who = honour.kind === 'advanced_org' ? honour.recipientName : `${honour.recipientName} 同志`;
  const unit = honour.kind === 'advanced_org' ? '' : `（${honour.recipientOrgName}）`;
  const statement = `\u3000\u3000${who}${unit}：在${honour.year}年度工作中表现突出，被评为`;
  let y = H - 200;
  for (const line of wrapText(statement, right - left, body)) { page.text(left, y, line, body); y -= 34; }
  // the honour on a line of its own, so that it is never broken
  page.textCentered(y - 16, `“${honour.title}”`, { size: 30, charSpacing: 4, color: RED });
  page.text(left, y - 80, '\u3000\u3000特发此证，以资鼓励。', body);
  const sign: TextStyle = { size: 18 };
  page.textRight(right, 130, fitText(honour.awardedByOrgName, right - left, sign), sign);
  page.textRight(right, 98, chineseDate(honour.awardedOn), sign);
  return renderPdf([page], { title: `荣誉证书-${honour.recipientName}`, author: honour.awardedByOrgName, subject: honour.title, createdAt });
}
