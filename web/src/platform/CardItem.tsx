import type { ReactNode } from 'react';
import { List } from 'antd';

/**
 * A card (or a link around one) as an item of an antd List: the list stays a <ul> of <li> for screen
 * readers (axe: "list"), the card keeps its own look.
 */
export function CardItem({ children }: { children: ReactNode }) {
  return <List.Item style={{ display: 'block', padding: 0, border: 'none' }}>{children}</List.Item>;
}
