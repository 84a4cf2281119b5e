-- A deal's title folded (lower case, accents removed) for search, as contacts and companies
-- have. Deals saved before this migration are filled in by the server at start-up (folding
-- is Unicode work done in Rust, the same for both backends).
ALTER TABLE deals ADD COLUMN search_text TEXT;
CREATE INDEX deals_search_idx ON deals USING gin (search_text gin_trgm_ops);
