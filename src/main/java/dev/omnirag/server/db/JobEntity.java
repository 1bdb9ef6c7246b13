package dev.omnirag.server.db;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A durable ingestion job: queued, running, succeeded or failed, with progress 0..1. */
@Entity
@Table(name = "jobs")
public class JobEntity extends PanacheEntityBase {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    @Id
    public UUID id;

    @Column(name = "document_id")
    public UUID documentId;

    @Column(name = "collection_id")
    public UUID collectionId;

    public String status;
    public double progress;
    public String message;
    public String error;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    /** The instance that holds the job's lease while it runs. */
    public String worker;

    @Column(name = "lease_until")
    public OffsetDateTime leaseUntil;
    /** How many times a worker claimed the job (more than one: an earlier worker stopped mid-way). */
    public int attempts;

    public boolean isTerminal() {
        return SUCCEEDED.equals(status) || FAILED.equals(status);
    }
}
