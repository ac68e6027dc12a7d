// Every delivery setting of a contractor buyer, each with the effect of the choice in a line.
// Shared by the contractor's own page and the admin's buyer editor.
import { Field } from "../../components/Field";
import { CheckboxGroup, RadioGroup } from "./Choices";
import { HoursFields, ZipsFields } from "./ZipsAndHours";
import type { SettingsForm } from "./settings-form";

type Errors = Record<string, string[] | undefined>;
interface Props {
  form: SettingsForm;
  set: (patch: Partial<SettingsForm>) => void;
  errors: Errors;
  hasSecret: boolean;
  onGenerateSecret?: (() => void) | undefined;
}

export function SettingsFields({ form, set, errors, hasSecret, onGenerateSecret }: Props) {
  const auctionPriced = form.pricingModel !== "FIXED";
  return (
    <>
      <h2>How you get leads</h2>
      <RadioGroup
        legend="Delivery mode"
        name="deliveryMode"
        value={form.deliveryMode}
        onChange={(deliveryMode) => set({ deliveryMode })}
        errors={errors.deliveryMode}
        choices={[
          {
            value: "EXCLUSIVE",
            label: "Exclusive",
            effect:
              "You are the only buyer of a lead you get; you compete for it with the other contractors in your zips.",
          },
          {
            value: "SHARED",
            label: "Shared",
            effect:
              "A lead goes to up to N contractors at once, each paying full price: more leads, more competition for each customer.",
          },
        ]}
      />
      {form.deliveryMode === "SHARED" ? (
        <Field
          label="Most buyers per shared lead"
          inputMode="numeric"
          value={form.maxSharedLeads}
          onChange={(e) => set({ maxSharedLeads: e.target.value })}
          errors={errors.maxSharedLeads}
          hint="At least 2. A shared lead goes to you and at most this many others minus one."
        />
      ) : null}
      <RadioGroup
        legend="Pricing"
        name="pricingModel"
        value={form.pricingModel}
        onChange={(pricingModel) => set({ pricingModel })}
        errors={errors.pricingModel}
        choices={[
          {
            value: "FIXED",
            label: "Fixed price",
            effect: "You pay the same price for every lead; you get leads directly, after the network auction.",
          },
          {
            value: "AUCTION",
            label: "Auction",
            effect: "Your max bid competes with the networks' bids for each lead; you pay your bid when you win.",
          },
          {
            value: "HYBRID",
            label: "Hybrid",
            effect: "Your max bid when you get a lead alone; a lower price you set when the lead is shared.",
          },
        ]}
      />
      {form.pricingModel === "FIXED" ? (
        <Field
          label="Fixed price per lead ($)"
          inputMode="decimal"
          value={form.fixedPrice}
          onChange={(e) => set({ fixedPrice: e.target.value })}
          errors={errors.fixedLeadPriceCents}
          hint="What every lead costs you."
        />
      ) : null}
      {auctionPriced ? (
        <Field
          label="Max bid per lead ($)"
          inputMode="decimal"
          value={form.maxBid}
          onChange={(e) => set({ maxBid: e.target.value })}
          errors={errors.maxBidCents}
          hint="The most you pay for a lead; a zip's own max bid below overrides it there."
        />
      ) : null}
      {form.pricingModel === "HYBRID" ? (
        <Field
          label="Shared lead price ($)"
          inputMode="decimal"
          value={form.sharedPrice}
          onChange={(e) => set({ sharedPrice: e.target.value })}
          errors={errors.sharedPriceCents}
          hint="The reduced price you pay when a lead is shared; lower than your max bid."
        />
      ) : null}

      <h2>How we tell you</h2>
      <CheckboxGroup
        legend="Notification channels"
        values={form.methods}
        onChange={(methods) => set({ methods })}
        errors={errors.deliveryMethods}
        choices={[
          { value: "DASHBOARD", label: "Dashboard", effect: "The lead appears on your home page here." },
          { value: "EMAIL", label: "Email", effect: "Each lead is emailed to the address below." },
          {
            value: "WEBHOOK",
            label: "Webhook",
            effect: "Each lead is POSTed to your CRM, signed, and retried until it answers.",
          },
        ]}
      />
      {form.methods.includes("EMAIL") || form.notificationEmail ? (
        <Field
          label="Notification email"
          type="email"
          autoComplete="email"
          value={form.notificationEmail}
          onChange={(e) => set({ notificationEmail: e.target.value })}
          errors={errors.notificationEmail}
        />
      ) : null}
      {form.methods.includes("WEBHOOK") || form.webhookUrl ? (
        <>
          <Field
            label="Webhook URL"
            type="url"
            inputMode="url"
            value={form.webhookUrl}
            onChange={(e) => set({ webhookUrl: e.target.value })}
            errors={errors.webhookUrl}
            hint="An http:// or https:// address of your CRM."
          />
          <Field
            label="Webhook signing secret"
            autoComplete="off"
            value={form.webhookSecret}
            onChange={(e) => set({ webhookSecret: e.target.value })}
            errors={errors.webhookSecret}
            placeholder={hasSecret ? "(set; leave empty to keep it)" : "whsec_…"}
            hint={
              hasSecret
                ? "A secret is set. It is never shown again; paste a new one or generate one to replace it."
                : "Leave empty and we generate one when you save; it is shown once."
            }
          />
          {onGenerateSecret ? (
            <button type="button" onClick={onGenerateSecret}>
              Generate a new secret
            </button>
          ) : null}
        </>
      ) : null}

      <h2>Where and when</h2>
      <ZipsFields zips={form.zips} onChange={(zips) => set({ zips })} errors={errors} />
      <Field
        label="Time zone"
        value={form.timeZone}
        list="tz-list"
        onChange={(e) => set({ timeZone: e.target.value })}
        errors={errors.timeZone}
        hint="Caps and hours count in this zone, e.g. America/Chicago."
      />
      <datalist id="tz-list">
        {[
          "America/New_York",
          "America/Chicago",
          "America/Denver",
          "America/Phoenix",
          "America/Los_Angeles",
          "America/Anchorage",
          "Pacific/Honolulu",
        ].map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <HoursFields form={form} set={set} errors={errors} confirmOvernight />
      <h2>Limits</h2>
      <div className="grid3">
        <Field
          label="Daily cap"
          inputMode="numeric"
          value={form.capDaily}
          onChange={(e) => set({ capDaily: e.target.value })}
          errors={errors.capDaily}
          hint="Leads per day; empty: no cap."
        />
        <Field
          label="Weekly cap"
          inputMode="numeric"
          value={form.capWeekly}
          onChange={(e) => set({ capWeekly: e.target.value })}
          errors={errors.capWeekly}
          hint="Monday to Sunday."
        />
        <Field
          label="Monthly cap"
          inputMode="numeric"
          value={form.capMonthly}
          onChange={(e) => set({ capMonthly: e.target.value })}
          errors={errors.capMonthly}
          hint="Calendar month."
        />
      </div>
      <Field
        label="Duplicate look-back (days)"
        inputMode="numeric"
        value={form.duplicateLookbackDays}
        onChange={(e) => set({ duplicateLookbackDays: e.target.value })}
        errors={errors.duplicateLookbackDays}
        hint="You are not sold the same person twice within this many days; 0 turns it off."
      />
    </>
  );
}
