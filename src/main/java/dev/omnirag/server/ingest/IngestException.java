package dev.omnirag.server.ingest;

/** Why an ingestion job failed. Its message is shown to users as the job's error, so it must read well. */
public class IngestException extends RuntimeException {

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The file itself is the problem (damaged, encrypted, no text): retrying will not help. */
    public static final class BadFile extends IngestException {
        public BadFile(String message) {
            super(message, null);
        }
    }
}
