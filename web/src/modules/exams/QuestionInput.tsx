import { Checkbox, Input, Radio, Space, Tag, Typography } from 'antd';
import type { AnswerKey, QuestionType, Response } from '../../../../contracts/exams.js';
import type { Translate } from '../../platform/locale.js';
import { useT } from '../../platform/locale.js';

/** What the member sees of a question: never the answer key. */
export interface AskedQuestion {
  id: string;
  type: QuestionType;
  stem: string;
  /** In this member's shuffled order; keys are stable, labels follow the position. */
  options: { key: string; text: string }[];
  blankCount: number;
}

const LETTERS = 'ABCDEFGH';

/** The letter shown for an option key: options are shuffled per member, so labels go by position. */
export function labelOf(question: AskedQuestion, key: string): string {
  const index = question.options.findIndex((o) => o.key === key);
  return index >= 0 ? (LETTERS[index] ?? key) : key;
}

export function isAnswered(response: Response | null | undefined): boolean {
  if (response === null || response === undefined) return false;
  if (typeof response === 'boolean') return true;
  if (typeof response === 'string') return response.length > 0;
  return response.some((r) => r.trim().length > 0);
}

/** A response or an answer key as text, with option letters as the member saw them. */
export function answerText(question: AskedQuestion, value: AnswerKey | Response | null | undefined, t: Translate): string {
  if (value === null || value === undefined || !isAnsweredKey(value)) return t('attempt.unanswered');
  if (typeof value === 'boolean') return value ? t('question.true') : t('question.false');
  if (typeof value === 'string') return labelOf(question, value);
  if (question.type === 'fill_blank') return value.map((blank) => (Array.isArray(blank) ? blank.join(' / ') : blank || '—')).join('；');
  return (value as string[]).map((k) => labelOf(question, k)).sort().join('、');
}

function isAnsweredKey(value: AnswerKey | Response): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.some((v) => (Array.isArray(v) ? v.length > 0 : v.trim().length > 0));
  return isAnswered(value);
}

export function QuestionTypeTag({ type }: { type: QuestionType }) {
  const t = useT();
  const color = { single: 'blue', multiple: 'purple', true_false: 'cyan', fill_blank: 'gold' } as const;
  return <Tag color={color[type]} style={{ marginInlineEnd: 0 }}>{t(`question.type.${type}`)}</Tag>;
}

const optionStyle = { display: 'flex', alignItems: 'flex-start', padding: '10px 12px', border: '1px solid #f0f0f0', borderRadius: 8, width: '100%', marginInlineEnd: 0 } as const;

/** The input for one question, sized for a thumb: single and true/false as radios, multiple as checkboxes, one box per blank. */
export function QuestionInput({ question, value, onChange, disabled }: {
  question: AskedQuestion;
  value: Response | null | undefined;
  onChange: (value: Response) => void;
  disabled?: boolean;
}) {
  const t = useT();
  const testId = `question-input-${question.id}`;
  if (question.type === 'single') {
    return (
      <Radio.Group value={typeof value === 'string' ? value : undefined} onChange={(e) => onChange(String(e.target.value))} disabled={disabled} style={{ width: '100%' }} data-testid={testId}>
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          {question.options.map((o, i) => (
            <Radio key={o.key} value={o.key} style={optionStyle} data-testid={`option-${i}`}>{LETTERS[i]}. {o.text}</Radio>
          ))}
        </Space>
      </Radio.Group>
    );
  }
  if (question.type === 'multiple') {
    return (
      <Checkbox.Group value={Array.isArray(value) ? value : []} onChange={(keys) => onChange([...keys].map(String).sort())} disabled={disabled} style={{ width: '100%' }} data-testid={testId}>
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          {question.options.map((o, i) => (
            <Checkbox key={o.key} value={o.key} style={optionStyle} data-testid={`option-${i}`}>{LETTERS[i]}. {o.text}</Checkbox>
          ))}
        </Space>
      </Checkbox.Group>
    );
  }
  if (question.type === 'true_false') {
    return (
      <Radio.Group value={typeof value === 'boolean' ? value : undefined} onChange={(e) => onChange(Boolean(e.target.value))} disabled={disabled} style={{ width: '100%' }} data-testid={testId}>
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          <Radio value={true} style={optionStyle} data-testid="option-0">{t('question.true')}</Radio>
          <Radio value={false} style={optionStyle} data-testid="option-1">{t('question.false')}</Radio>
        </Space>
      </Radio.Group>
    );
  }
  const blanks = Array.from({ length: Math.max(1, question.blankCount) }, (_, i) => (Array.isArray(value) ? (value[i] ?? '') : ''));
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid={testId}>
      {blanks.map((text, i) => (
        <Input key={i} size="large" value={text} disabled={disabled} maxLength={200} placeholder={t('attempt.blank_placeholder', { n: i + 1 })} data-testid={`blank-${i}`}
          onChange={(e) => onChange(blanks.map((b, j) => (j === i ? e.target.value : b)))} />
      ))}
    </Space>
  );
}

export function QuestionStem({ question, index, score }: { question: AskedQuestion; index: number; score?: number }) {
  const t = useT();
  return (
    <Space orientation="vertical" size={6} style={{ width: '100%' }}>
      <Space size={6} wrap>
        <QuestionTypeTag type={question.type} />
        {score !== undefined && <Typography.Text type="secondary">{t('attempt.score_each', { n: score })}</Typography.Text>}
      </Space>
      <Typography.Paragraph style={{ fontSize: 16, marginBottom: 0, whiteSpace: 'pre-wrap' }} data-testid="question-stem">{index + 1}. {question.stem}</Typography.Paragraph>
    </Space>
  );
}
