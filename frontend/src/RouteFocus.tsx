import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';

/**
 * After a page change, move keyboard focus to the main content, as a full page load would;
 * otherwise focus stays on the link just used and a screen reader announces nothing new.
 */
export function RouteFocus() {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: false });
  }, [pathname]);
  return null;
}
