import { Link, useLocation } from 'react-router';
import { PageHeading } from '../components/PageHeading';

export default function NotFoundPage() {
  const location = useLocation();
  return (
    <section className="panel narrow">
      <p className="eyebrow">404</p>
      <PageHeading title="Page not found" />
      <p>
        There is no page at <code>{location.pathname}</code>. It may have moved, or the link may be mistyped.
      </p>
      <p>
        <Link to="/" className="button button-primary">
          Go to the task list
        </Link>
      </p>
    </section>
  );
}
