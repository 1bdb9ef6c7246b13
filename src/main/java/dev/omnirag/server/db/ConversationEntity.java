package dev.omnirag.server.db;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A chat over one collection, owned by the key that created it (null owner: authentication was off). */
@Entity
@Table(name = "conversations")
public class ConversationEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "collection_id")
    public UUID collectionId;

    @Column(name = "owner_key_id")
    public UUID ownerKeyId;

    public String title;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
