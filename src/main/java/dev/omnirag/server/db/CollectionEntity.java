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

    /** The native (multimodal) embedding space fixed at creation, or null when the collection has none. */
    @Column(name = "native_space")
    public String nativeSpace;

    @Column(name = "native_dimensions")
    public Integer nativeDimensions;

    /** Dimensions of the native vector field, 0 when the collection has none. */
    public int nativeDimensionsOrZero() {
        return nativeDimensions == null ? 0 : nativeDimensions;
    }

    /**
     * The companion text embedding space fixed at creation ({@code omnirag.embedder.companion}), or null when the
     * collection has none.
     */
    @Column(name = "companion_space")
    public String companionSpace;

    @Column(name = "companion_dimensions")
    public Integer companionDimensions;

    /** Dimensions of the companion vector field, 0 when the collection has none. */
    public int companionDimensionsOrZero() {
        return companionDimensions == null ? 0 : companionDimensions;
    }

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
