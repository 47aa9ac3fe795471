-- Sending media: the file an outbox entry must upload before its send (a sha256 in the
-- media store, with the type and name given to Meta), and the media id Meta returned,
-- kept so a later attempt of the send never uploads the same file again.
ALTER TABLE outbox ADD COLUMN upload_sha256 TEXT;
ALTER TABLE outbox ADD COLUMN upload_mime_type TEXT;
ALTER TABLE outbox ADD COLUMN upload_file_name TEXT;
ALTER TABLE outbox ADD COLUMN uploaded_media_id TEXT;
