package dev.omnirag.server.db;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One question and its answer in a conversation, numbered from 1, with the citations as returned then (JSON), the
 * generator, the time it took and the reader's feedback (1 up, -1 down, null none).
 */
@Entity
@Table(name = "conversation_turns")
public class TurnEntity extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "conversation_id")
    public UUID conversationId;

    public int n;
    public String question;
    public String answer;
    /** The citations as the answer returned them, a JSON array. */
    public String citations;

    public String generator;

    @Column(name = "took_ms")
    public long tookMs;

    public Short feedback;

    @Column(name = "feedback_text")
    public String feedbackText;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
