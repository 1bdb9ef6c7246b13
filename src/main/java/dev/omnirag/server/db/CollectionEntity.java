package dev.omnirag.server.db;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A named set of documents searched together; fixes its embedding space when created. */
@Entity
@Table(name = "collections")
public class CollectionEntity extends PanacheEntityBase {
    @Id
    public UUID id;
    public String name;
    public String description;
    @Column(name = "embedding_space")
    public String embeddingSpace;
    public int dimensions;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
