// A lead seller's view of returns: which of its leads came back, why, and what became of it, and
// the return rate of its leads.
import { RatesTables } from "./RatesTables";
import { ReturnsList } from "./ReturnsList";

export function SellerReturnsPage() {
  return (
    <section>
      <h1>Returned leads</h1>
      <p>
        Buyers may send back a lead that was bad (a wrong number, a duplicate, a fake name, outside their area). Here is
        each of your leads that came back, why, and what was decided.
      </p>
      <ReturnsList caption="Your leads that were returned" leadLinks={false} />
      <h2>Return rate of your leads</h2>
      <RatesTables />
    </section>
  );
}
