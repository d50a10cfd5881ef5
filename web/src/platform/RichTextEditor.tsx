import { useEffect, useRef, useState, type ReactNode } from 'react';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Image from '@tiptap/extension-image';
import { Table, TableCell, TableHeader, TableRow } from '@tiptap/extension-table';
import { Button, Input, Modal, Space, Tooltip, message } from 'antd';
import {
  BoldOutlined, ItalicOutlined, UnderlineOutlined, UnorderedListOutlined, OrderedListOutlined, LinkOutlined,
  PictureOutlined, TableOutlined, UndoOutlined, RedoOutlined, FontSizeOutlined,
} from '@ant-design/icons';
import { useLocale } from './locale.js';
import type { Language } from './i18n.js';

/**
 * The console's rich-text editor (Tiptap): notices and news. It edits HTML and hands it to the form
 * as it is typed; the server sanitizes it (server/src/platform/rich-text.ts), so the editor offers
 * only what survives there — paragraphs, two heading levels, lists, bold/italic/underline, links,
 * images from our own uploads and tables. Its strings live here, in the three languages, because a
 * platform component names no module's messages.
 */
const STRINGS: Record<Language, Record<string, string>> = {
  'zh-Hans': {
    toolbar: '格式工具栏', paragraph: '正文', h2: '标题', h3: '小标题', bold: '加粗', italic: '斜体', underline: '下划线',
    bullet: '无序列表', ordered: '有序列表', link: '插入链接', image: '插入图片', table: '插入表格', undo: '撤销', redo: '重做',
    link_title: '插入链接', link_url: '链接地址', link_bad: '请输入以 http:// 或 https:// 开头的地址', link_remove: '移除链接', uploading: '图片上传中…', upload_failed: '图片上传失败',
  },
  'zh-Hant': {
    toolbar: '格式工具列', paragraph: '正文', h2: '標題', h3: '小標題', bold: '加粗', italic: '斜體', underline: '底線',
    bullet: '無序清單', ordered: '有序清單', link: '插入連結', image: '插入圖片', table: '插入表格', undo: '復原', redo: '重做',
    link_title: '插入連結', link_url: '連結地址', link_bad: '請輸入以 http:// 或 https:// 開頭的地址', link_remove: '移除連結', uploading: '圖片上傳中…', upload_failed: '圖片上傳失敗',
  },
  en: {
    toolbar: 'Formatting', paragraph: 'Paragraph', h2: 'Heading', h3: 'Subheading', bold: 'Bold', italic: 'Italic', underline: 'Underline',
    bullet: 'Bulleted list', ordered: 'Numbered list', link: 'Insert link', image: 'Insert image', table: 'Insert table', undo: 'Undo', redo: 'Redo',
    link_title: 'Insert link', link_url: 'Link address', link_bad: 'Enter an address starting with http:// or https://', link_remove: 'Remove link', uploading: 'Uploading image…', upload_failed: 'Image upload failed',
  },
};

export interface RichTextEditorProps {
  value?: string;
  onChange?: (html: string) => void;
  /** the accessible name of the editing area (the form item's label) */
  ariaLabel: string;
  /** uploads an image and answers its same-origin URL (`/api/…`); without it there is no image button */
  onUploadImage?: (file: File) => Promise<string>;
  id?: string;
  disabled?: boolean;
}

export function RichTextEditor({ value, onChange, ariaLabel, onUploadImage, id, disabled }: RichTextEditorProps) {
  const { lang } = useLocale();
  const s = STRINGS[lang];
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3] },
        code: false, codeBlock: false, strike: false,
        link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'], defaultProtocol: 'https' },
      }),
      Image.configure({ inline: false }),
      Table.configure({ resizable: false }), TableRow, TableHeader, TableCell,
    ],
    content: value ?? '',
    editable: !disabled,
    editorProps: { attributes: { 'aria-label': ariaLabel, 'aria-multiline': 'true', role: 'textbox', class: 'rich-text-editor-content', ...(id ? { id } : {}) } },
    // an empty document is '' for the form's required rule, not '<p></p>'
    onUpdate: ({ editor: e }) => onChangeRef.current?.(e.isEmpty ? '' : e.getHTML()),
  });

  // a value set from outside (a record loaded into the form, a reset) replaces the document
  useEffect(() => {
    if (!editor) return;
    const current = editor.isEmpty ? '' : editor.getHTML();
    if ((value ?? '') !== current) editor.commands.setContent(value ?? '', { emitUpdate: false });
  }, [editor, value]);
  useEffect(() => { editor?.setEditable(!disabled); }, [editor, disabled]);

  return (
    <div className="rich-text-editor" style={{ border: '1px solid #d9d9d9', borderRadius: 6, maxWidth: '100%', minWidth: 0 }}>
      <Toolbar editor={editor} s={s} onUploadImage={onUploadImage} disabled={disabled} />
      <EditorContent editor={editor} style={{ padding: '8px 11px', minHeight: 160, overflowX: 'auto' }} />
      <style>{EDITOR_CSS}</style>
    </div>
  );
}

const EDITOR_CSS = `
.rich-text-editor-content { outline: none; min-height: 140px; word-break: break-word; }
.rich-text-editor-content:focus-visible { outline: 2px solid #0958d9; outline-offset: 2px; }
.rich-text-editor-content img { max-width: 100%; height: auto; }
.rich-text-editor-content table { border-collapse: collapse; margin: 8px 0; }
.rich-text-editor-content td, .rich-text-editor-content th { border: 1px solid #bfbfbf; padding: 4px 8px; min-width: 3em; vertical-align: top; }
.rich-text-editor-content p { margin: 0 0 8px; }
`;

function Toolbar({ editor, s, onUploadImage, disabled }: { editor: Editor | null; s: Record<string, string>; onUploadImage?: (file: File) => Promise<string>; disabled?: boolean }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => e ? {
      h2: e.isActive('heading', { level: 2 }), h3: e.isActive('heading', { level: 3 }), bold: e.isActive('bold'), italic: e.isActive('italic'),
      underline: e.isActive('underline'), bullet: e.isActive('bulletList'), ordered: e.isActive('orderedList'), link: e.isActive('link'),
      canUndo: e.can().undo(), canRedo: e.can().redo(),
    } : null,
  });
  const [linkOpen, setLinkOpen] = useState(false);
  const [linkUrl, setLinkUrl] = useState('');
  const [uploading, setUploading] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  if (!editor || !state) return null;
  const chain = () => editor.chain().focus();

  const button = (key: string, icon: ReactNode, active: boolean | undefined, run: () => void, enabled = true) => (
    <Tooltip title={s[key]} key={key}>
      <Button type={active ? 'primary' : 'text'} size="middle" icon={icon} aria-label={s[key]} aria-pressed={active === undefined ? undefined : active}
        disabled={disabled || !enabled} onClick={run} style={{ minWidth: 36 }} />
    </Tooltip>
  );

  const saveLink = () => {
    const url = linkUrl.trim();
    if (url === '') { chain().extendMarkRange('link').unsetLink().run(); setLinkOpen(false); return; }
    if (!/^(https?:\/\/|mailto:)/i.test(url)) { void message.error(s.link_bad); return; }
    chain().extendMarkRange('link').setLink({ href: url }).run();
    setLinkOpen(false);
  };

  const pickImage = async (file: File | undefined) => {
    if (!file || !onUploadImage) return;
    setUploading(true);
    try {
      const src = await onUploadImage(file);
      chain().setImage({ src, alt: file.name }).run();
    } catch {
      void message.error(s.upload_failed);
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  return (
    <div role="toolbar" aria-label={s.toolbar} style={{ display: 'flex', flexWrap: 'wrap', gap: 2, padding: 4, borderBottom: '1px solid #f0f0f0', background: '#fafafa', borderRadius: '6px 6px 0 0' }}>
      <Space.Compact>
        {button('h2', <FontSizeOutlined />, state.h2, () => chain().toggleHeading({ level: 2 }).run())}
        {button('h3', <FontSizeOutlined style={{ fontSize: 11 }} />, state.h3, () => chain().toggleHeading({ level: 3 }).run())}
      </Space.Compact>
      {button('bold', <BoldOutlined />, state.bold, () => chain().toggleBold().run())}
      {button('italic', <ItalicOutlined />, state.italic, () => chain().toggleItalic().run())}
      {button('underline', <UnderlineOutlined />, state.underline, () => chain().toggleUnderline().run())}
      {button('bullet', <UnorderedListOutlined />, state.bullet, () => chain().toggleBulletList().run())}
      {button('ordered', <OrderedListOutlined />, state.ordered, () => chain().toggleOrderedList().run())}
      {button('link', <LinkOutlined />, state.link, () => { setLinkUrl((editor.getAttributes('link').href as string | undefined) ?? ''); setLinkOpen(true); })}
      {onUploadImage && button('image', <PictureOutlined />, undefined, () => fileInput.current?.click(), !uploading)}
      {button('table', <TableOutlined />, undefined, () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run())}
      {button('undo', <UndoOutlined />, undefined, () => chain().undo().run(), state.canUndo)}
      {button('redo', <RedoOutlined />, undefined, () => chain().redo().run(), state.canRedo)}
      {onUploadImage && (
        <input ref={fileInput} type="file" accept="image/jpeg,image/png,image/webp" hidden aria-label={s.image}
          onChange={(e) => void pickImage(e.target.files?.[0])} />
      )}
      <Modal title={s.link_title} open={linkOpen} onOk={saveLink} onCancel={() => setLinkOpen(false)} destroyOnHidden
        footer={(_, { OkBtn, CancelBtn }) => (<>{state.link && <Button danger onClick={() => { chain().extendMarkRange('link').unsetLink().run(); setLinkOpen(false); }}>{s.link_remove}</Button>}<CancelBtn /><OkBtn /></>)}>
        <Input aria-label={s.link_url} placeholder="https://" value={linkUrl} onChange={(e) => setLinkUrl(e.target.value)} onPressEnter={saveLink} autoFocus />
      </Modal>
    </div>
  );
}

export default RichTextEditor;
