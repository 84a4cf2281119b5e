-- Phones in E.164 beside the typed form: `phone` is what the user wrote (shown as written),
-- `phone_e164` the number read with the tenant's default country when it was saved, so an
-- inbound call finds its contact by equality. Rows saved before this migration are filled in
-- by the server at start-up (parsing needs libphonenumber's rules, not SQL).
ALTER TABLE contacts ADD COLUMN phone_e164 TEXT;
ALTER TABLE companies ADD COLUMN phone_e164 TEXT;
CREATE INDEX contacts_phone_e164_idx ON contacts (tenant_id, phone_e164) WHERE phone_e164 IS NOT NULL;
CREATE INDEX companies_phone_e164_idx ON companies (tenant_id, phone_e164) WHERE phone_e164 IS NOT NULL;
