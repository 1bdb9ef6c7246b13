-- The quality profile's companion embedder (omnirag.embedder.companion): a collection created while one is
-- configured fixes its space, and every chunk of it gets a second text vector from that model.
ALTER TABLE collections ADD COLUMN companion_space TEXT;
ALTER TABLE collections ADD COLUMN companion_dimensions INT;
