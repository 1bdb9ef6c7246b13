package dev.omnirag.server.db;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** Where one indexed chunk lies in its document; the text and vector are in the index. */
@Entity
@Table(name = "chunks")
public class ChunkEntity extends PanacheEntityBase {
    @Id
    public String id;

    @Column(name = "document_id")
    public UUID documentId;

    public int ordinal;
    public Integer page;

    @Column(name = "char_start")
    public Integer charStart;

    @Column(name = "char_end")
    public Integer charEnd;

    @Column(name = "token_count")
    public int tokenCount;

    @Column(name = "bbox_x")
    public Double bboxX;

    @Column(name = "bbox_y")
    public Double bboxY;

    @Column(name = "bbox_w")
    public Double bboxW;

    @Column(name = "bbox_h")
    public Double bboxH;

    @Column(name = "start_ms")
    public Long startMs;

    @Column(name = "end_ms")
    public Long endMs;

    /** Positioned words inside the chunk, offsets relative to the chunk (see ingest.Spans); null for plain text. */
    public String spans;
}
