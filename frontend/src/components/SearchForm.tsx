import { useEffect, useState, type FormEvent } from 'react';

interface SearchFormProps {
  initial: string;
  onSearch: (q: string) => void;
  label?: string;
}

/** A search box that searches on submit (Enter or the button), not on every key. */
export function SearchForm({ initial, onSearch, label = 'Search by name or SKU' }: SearchFormProps) {
  const [text, setText] = useState(initial);
  useEffect(() => setText(initial), [initial]);

  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(text.trim());
  }

  return (
    <form role="search" className="search" onSubmit={submit}>
      <label htmlFor="search-q">{label}</label>
      <div className="search-row">
        <input id="search-q" name="q" type="search" value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit">Search</button>
      </div>
    </form>
  );
}
