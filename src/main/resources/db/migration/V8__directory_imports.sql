-- Imports of a server-side directory (global admins, under omnirag.import.roots): no archive, a source path instead.
ALTER TABLE imports ALTER COLUMN archive_sha256 DROP NOT NULL;
ALTER TABLE imports ADD COLUMN source_path TEXT;
