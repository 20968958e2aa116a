interface LoadMoreProps {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  label?: string;
}

/** Keyset pagination: one button that follows next_cursor. */
export function LoadMore({ hasNextPage, isFetchingNextPage, fetchNextPage, label = 'Load more' }: LoadMoreProps) {
  if (!hasNextPage) return null;
  return (
    <div className="load-more">
      <button type="button" className="secondary" onClick={() => fetchNextPage()} disabled={isFetchingNextPage}>
        {isFetchingNextPage ? 'Loading…' : label}
      </button>
    </div>
  );
}
