package dev.omnirag.server.conversations;

import dev.omnirag.generator.ChatTurn;
import dev.omnirag.server.api.ApiException;
import dev.omnirag.server.db.ConversationEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.db.TurnEntity;
import dev.omnirag.server.security.Access;
import dev.omnirag.server.security.Principal;
import dev.omnirag.server.security.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Stores conversations and their turns. Who may do what: a key with the read role in the collection creates
 * conversations there and reads, renames, deletes, continues and rates its own; a key with the admin role in the
 * collection (or a global admin) may do the same with everyone's. Any other caller gets 404, as for a conversation
 * that does not exist. Blocking (waits for the database).
 */
@ApplicationScoped
public class Conversations {

    /** Title of a conversation created without one, until its first question names it. */
    public static final String UNTITLED = "New chat";
    /** Longest title; a first question names its conversation with at most this much of itself. */
    public static final int MAX_TITLE = 200;
    /** Earlier turns handed to the generator with a new question (the newest ones). */
    static final int HISTORY_TURNS = 6;

    private final Db db;

    Conversations(Db db) {
        this.db = db;
    }

    /** A new, empty conversation over the collection, owned by {@code p}. */
    public ConversationEntity create(Principal p, UUID collectionId, String title) {
        Access.require(p, collectionId, Role.READ, () -> ApiException.notFound("collection", collectionId));
        ConversationEntity c = new ConversationEntity();
        c.id = UUID.randomUUID();
        c.collectionId = collectionId;
        c.ownerKeyId = p.keyId();
        c.title = title == null || title.isBlank() ? UNTITLED : title.strip();
        c.createdAt = now();
        c.updatedAt = c.createdAt;
        return db.tx(() -> c.persist().replaceWith(c));
    }

    /**
     * The collection's conversations {@code p} may read, most recently updated first; {@code titleContains}
     * (case-insensitive) narrows them when given.
     */
    public List<ConversationEntity> list(Principal p, UUID collectionId, String titleContains, int limit) {
        Access.require(p, collectionId, Role.READ, () -> ApiException.notFound("collection", collectionId));
        boolean all = p.role(collectionId).map(r -> r.covers(Role.ADMIN)).orElse(false);
        String like = titleContains == null || titleContains.isBlank()
                ? null
                : "%"
                        + titleContains
                                .strip()
                                .toLowerCase(java.util.Locale.ROOT)
                                .replace("\\", "\\\\")
                                .replace("%", "\\%")
                                .replace("_", "\\_")
                        + "%";
        StringBuilder q = new StringBuilder("collectionId = :collection");
        io.quarkus.panache.common.Parameters params =
                io.quarkus.panache.common.Parameters.with("collection", collectionId);
        if (!all) {
            if (p.keyId() == null) {
                return List.of();
            }
            q.append(" and ownerKeyId = :owner");
            params = params.and("owner", p.keyId());
        }
        if (like != null) {
            q.append(" and lower(title) like :like escape '\\'");
            params = params.and("like", like);
        }
        q.append(" order by updatedAt desc, id");
        String query = q.toString();
        io.quarkus.panache.common.Parameters bound = params;
        return db.read(() -> ConversationEntity.<ConversationEntity>find(query, bound)
                .page(0, limit)
                .list());
    }

    /** The conversation if {@code p} may read it; 404 otherwise. */
    public ConversationEntity get(Principal p, UUID id) {
        ConversationEntity c = db.read(() -> ConversationEntity.<ConversationEntity>findById(id));
        if (c == null || !mayUse(p, c)) {
            throw ApiException.notFound("conversation", id);
        }
        return c;
    }

    /** Its turns, oldest first. */
    public List<TurnEntity> turns(UUID conversationId) {
        return db.read(() -> TurnEntity.<TurnEntity>find("conversationId = ?1 order by n", conversationId)
                .list());
    }

    /** The newest earlier turns as conversation history for the generator, oldest first. */
    public List<ChatTurn> history(UUID conversationId) {
        List<TurnEntity> turns = turns(conversationId);
        List<ChatTurn> out = new ArrayList<>();
        for (TurnEntity t : turns.subList(Math.max(0, turns.size() - HISTORY_TURNS), turns.size())) {
            out.add(new ChatTurn(ChatTurn.USER, t.question));
            out.add(new ChatTurn(ChatTurn.ASSISTANT, t.answer));
        }
        return out;
    }

    public ConversationEntity rename(Principal p, UUID id, String title) {
        get(p, id);
        return db.tx(() -> ConversationEntity.<ConversationEntity>findById(id).map(c -> {
            c.title = title.strip();
            c.updatedAt = now();
            return c;
        }));
    }

    public void delete(Principal p, UUID id) {
        get(p, id);
        db.tx(() -> ConversationEntity.delete("id", id));
    }

    /**
     * Appends a turn (numbered after the last one) and makes the conversation the most recently updated; an untitled
     * conversation takes its first question as title.
     */
    public TurnEntity append(
            UUID conversationId, String question, String answer, String citationsJson, String generator, long tookMs) {
        Objects.requireNonNull(question, "question");
        // The row lock serialises turns of one conversation: two questions at once get numbers in turn.
        return db.tx(() -> ConversationEntity.<ConversationEntity>findById(
                        conversationId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .onItem()
                .ifNull()
                .failWith(() -> ApiException.notFound("conversation", conversationId))
                .flatMap(c -> TurnEntity.<TurnEntity>find("conversationId = ?1 order by n desc", conversationId)
                        .firstResult()
                        .map(last -> nextTurn(c, last, question, answer, citationsJson, generator, tookMs)))
                .call(t -> t.persist()));
    }

    /** The turn after {@code last} (null: the first, which also titles an untitled conversation). */
    private static TurnEntity nextTurn(
            ConversationEntity c,
            TurnEntity last,
            String question,
            String answer,
            String citationsJson,
            String generator,
            long tookMs) {
        TurnEntity t = new TurnEntity();
        t.id = UUID.randomUUID();
        t.conversationId = c.id;
        t.n = last == null ? 1 : last.n + 1;
        t.question = question;
        t.answer = answer;
        t.citations = citationsJson;
        t.generator = generator;
        t.tookMs = tookMs;
        t.createdAt = now();
        c.updatedAt = t.createdAt;
        if (t.n == 1 && UNTITLED.equals(c.title)) {
            String oneLine = question.strip().replaceAll("\\s+", " ");
            c.title = oneLine.length() > 80 ? oneLine.substring(0, 79) + "…" : oneLine;
        }
        return t;
    }

    /** Records the reader's rating of turn {@code n} (1 up, -1 down) with an optional comment. */
    public TurnEntity rate(Principal p, UUID conversationId, int n, int rating, String text) {
        get(p, conversationId);
        return db.tx(() -> TurnEntity.<TurnEntity>find("conversationId = ?1 and n = ?2", conversationId, n)
                .firstResult()
                .onItem()
                .ifNull()
                .failWith(() -> new ApiException(404, "conversation " + conversationId + " has no turn " + n))
                .map(t -> {
                    t.feedback = (short) rating;
                    t.feedbackText = text == null || text.isBlank() ? null : text.strip();
                    return t;
                }));
    }

    /** Whether {@code p} may read and continue {@code c}: its owner with read in the collection, or an admin there. */
    public static boolean mayUse(Principal p, ConversationEntity c) {
        java.util.Optional<Role> role = p.role(c.collectionId);
        if (role.isEmpty()) {
            return false;
        }
        return role.get().covers(Role.ADMIN) || (p.keyId() != null && p.keyId().equals(c.ownerKeyId));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
