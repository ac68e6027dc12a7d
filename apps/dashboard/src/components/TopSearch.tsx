import { useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";

/** The top bar's search box: Enter opens the results page (pages/search/SearchPage.tsx). */
export function TopSearch() {
  const [params] = useSearchParams();
  const [text, setText] = useState(params.get("q") ?? "");
  const navigate = useNavigate();
  function submit(e: FormEvent) {
    e.preventDefault();
    const q = text.trim();
    void navigate(q ? `/search?q=${encodeURIComponent(q)}` : "/search");
  }
  return (
    <form role="search" className="top-search" onSubmit={submit}>
      <label htmlFor="top-search" className="sr-only">
        Search leads
      </label>
      <input
        id="top-search"
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="Phone, email, name or lead id"
        autoComplete="off"
        enterKeyHint="search"
      />
      <button type="submit">Search</button>
    </form>
  );
}
