package dev.omnirag.server.db;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An uploaded file of a collection; its bytes are in the blob store under {@link #sha256}. */
@Entity
@Table(name = "documents")
public class DocumentEntity extends PanacheEntityBase {
    /** Waiting for or running its ingestion job. */
    public static final String PROCESSING = "processing";
    /** Indexed and searchable. */
    public static final String READY = "ready";
    /** Ingestion failed; {@link #error} says why. */
    public static final String FAILED = "failed";

    @Id
    public UUID id;

    @Column(name = "collection_id")
    public UUID collectionId;

    public String filename;

    @Column(name = "media_type")
    public String mediaType;

    @Column(name = "size_bytes")
    public long sizeBytes;

    public String sha256;
    /** User metadata as a JSON object of scalar values. */
    public String metadata;

    public String status;
    public String error;

    @Column(name = "chunk_count")
    public int chunkCount;

    @Column(name = "page_count")
    public Integer pageCount;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
