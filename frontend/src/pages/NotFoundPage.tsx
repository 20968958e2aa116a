import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <div className="narrow">
      <h1>Page not found</h1>
      <p>
        <Link to="/products">Back to the catalogue</Link>
      </p>
    </div>
  );
}
