import { Link } from "react-router";

export function NotFoundPage() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        This page doesn't exist or isn't part of your account. <Link to="/">Go to your home</Link>.
      </p>
    </section>
  );
}
