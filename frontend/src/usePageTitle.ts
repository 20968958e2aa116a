import { useEffect } from 'react';

export const SHOP_NAME = 'The shop';

/** Names the browser tab after the page, so tabs, history and screen readers tell pages apart. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · ${SHOP_NAME}` : SHOP_NAME;
  }, [title]);
}
