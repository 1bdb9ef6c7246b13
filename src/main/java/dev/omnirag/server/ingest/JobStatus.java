package dev.omnirag.server.ingest;

/**
 * The states of an ingestion job, as stored in {@code jobs.status}: queued → running → succeeded | failed; a running
 * job whose lease expired is claimed again (running → running), one stopped by a shutdown goes back to queued.
 */
public enum JobStatus {
    QUEUED("queued"),
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed");

    private final String value;

    JobStatus(String value) {
        this.value = value;
    }

    /** The value stored in the database and shown by the API. */
    public String value() {
        return value;
    }

    /** Whether the job is finished for good (a later failure never undoes a success). */
    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED;
    }

    /** The status stored as {@code value}. */
    public static JobStatus of(String value) {
        for (JobStatus s : values()) {
            if (s.value.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown job status '" + value + "'");
    }
}
