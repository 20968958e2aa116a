import { Link } from 'react-router';
import { usePageTitle } from '../usePageTitle';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <div className="narrow">
      <h1>Page not found</h1>
      <p>
        <Link to="/products">Back to the catalogue</Link>
      </p>
    </div>
  );
}
