-- Multimodal ingestion (issue 3): a collection may fix a second, native (multimodal) embedding space; chunk rows
-- keep their region on the page or time in the recording, and the positioned words inside them (JSON) so that a
-- citation quoting part of a chunk can be narrowed to its box or seconds.
ALTER TABLE collections ADD COLUMN native_space TEXT;
ALTER TABLE collections ADD COLUMN native_dimensions INT;
ALTER TABLE chunks ADD COLUMN bbox_x DOUBLE PRECISION;
ALTER TABLE chunks ADD COLUMN bbox_y DOUBLE PRECISION;
ALTER TABLE chunks ADD COLUMN bbox_w DOUBLE PRECISION;
ALTER TABLE chunks ADD COLUMN bbox_h DOUBLE PRECISION;
ALTER TABLE chunks ADD COLUMN start_ms BIGINT;
ALTER TABLE chunks ADD COLUMN end_ms BIGINT;
ALTER TABLE chunks ADD COLUMN spans TEXT;
