import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';

/**
 * After a page change, start at the top with the header in view, and put keyboard focus on the
 * new page's heading (or the main content), as a full page load would; otherwise focus stays on
 * the link just used and a screen reader announces nothing new. Focus never scrolls: scrolling
 * to the focused main content is what hid the header before.
 */
export function RouteFocus() {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo({ top: 0 });
    // The page may still be loading its data: wait for its heading a little.
    let tries = 0;
    const timer = window.setInterval(() => {
      tries += 1;
      const heading = document.querySelector<HTMLElement>('#main h1');
      if (heading || tries >= 20) {
        window.clearInterval(timer);
        const target = heading ?? document.getElementById('main');
        if (!target) return;
        if (heading && !heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
        target.focus({ preventScroll: true });
      }
    }, 25);
    return () => window.clearInterval(timer);
  }, [pathname]);
  return null;
}
