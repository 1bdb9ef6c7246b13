package dev.omnirag.server.search;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.generator.ExtractiveGenerator;
import dev.omnirag.generator.Generator;
import dev.omnirag.index.SearchHit;
import dev.omnirag.server.config.GeneratorConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The extractive answer's sentence vectors made ahead of time ({@code omnirag.generator.sentence-vectors}), one row
 * per chunk in {@code sentence_vectors}: the embedder's space, a hash of the chunk's sentences as the generator splits
 * them ({@link ExtractiveGenerator#sentences}) and their vectors in that order, float32. Before an answer, the rows of
 * its passages are read ({@link #read}) and handed to the generator with the passages, so the answer embeds none of
 * those sentences; a row made in another space or for other sentences (the splitting rules changed) is passed over,
 * and the answer embeds those sentences as it would without it. {@link SentenceBackfill} writes the rows.
 * Blocking (it waits for the database) but for {@link #store}, which returns at once; thread safe.
 */
@ApplicationScoped
public class SentenceVectors {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(SentenceVectors.class);
    static final Duration WAIT = Duration.ofSeconds(30);

    private final Pool pool;
    private final Embedder embedder;
    private final Optional<ExtractiveGenerator> extractive;
    private final boolean enabled;

    SentenceVectors(Pool pool, Embedder embedder, Generator generator, GeneratorConfig config) {
        this.pool = pool;
        this.embedder = embedder;
        this.extractive = generator instanceof ExtractiveGenerator e ? Optional.of(e) : Optional.empty();
        this.enabled = config.sentenceVectors();
    }

    /** Whether answers use stored sentence vectors: they are on and the generator is the extractive one. */
    public boolean usable() {
        return enabled && extractive.isPresent();
    }

    /** The sentences of a chunk's text, as the generator embeds them. */
    List<String> sentences(String text) {
        return extractive.orElseThrow().sentences(text);
    }

    /** The space the stored vectors are made in: the server's text embedder's. */
    String space() {
        return embedder.spaceName();
    }

    /**
     * The stored vectors of the hits' sentences, by chunk id, each by sentence text: what the answer about to be made
     * from them hands the generator with each source ({@code Source.withSentenceVectors}). Hits without a usable row
     * are absent; empty when not {@linkplain #usable() usable} or when the rows cannot be read (only a lost shortcut:
     * the answer embeds those sentences).
     */
    public Map<String, Map<String, float[]>> read(List<SearchHit> hits) {
        if (!usable() || hits.isEmpty()) {
            return Map.of();
        }
        try {
            return rows(hits);
        } catch (RuntimeException e) {
            LOG.debugf("Could not read stored sentence vectors; the answer embeds its sentences: %s", e.getMessage());
            return Map.of();
        }
    }

    private Map<String, Map<String, float[]>> rows(List<SearchHit> hits) {
        Map<String, SearchHit> byId = new LinkedHashMap<>();
        hits.forEach(h -> byId.putIfAbsent(h.chunkId(), h));
        Map<String, Map<String, float[]>> out = new java.util.HashMap<>();
        for (Row row : await(pool.preparedQuery(
                        "SELECT chunk_id, sentences, vectors FROM sentence_vectors WHERE chunk_id = ANY($1) AND space = $2")
                .execute(Tuple.of(byId.keySet().toArray(new String[0]), space())))) {
            SearchHit hit = byId.get(row.getString("chunk_id"));
            List<String> sentences = sentences(hit.text());
            List<float[]> vectors = decode(row.getBuffer("vectors").getBytes(), sentences.size());
            if (row.getLong("sentences") != hash(sentences) || vectors == null) {
                continue;
            }
            Map<String, float[]> bySentence = new java.util.HashMap<>();
            for (int i = 0; i < sentences.size(); i++) {
                bySentence.putIfAbsent(sentences.get(i), vectors.get(i));
            }
            out.put(hit.chunkId(), bySentence);
        }
        return out;
    }

    /** A chunk without sentence vectors in this space, with what opening its collection's index needs. */
    record Pending(String chunkId, UUID collectionId, int dimensions, int nativeDimensions, int companionDimensions) {}

    /**
     * Up to {@code limit} chunks without sentence vectors in this space, ids after {@code after}, in id order; of one
     * collection, or of all when {@code collection} is null.
     */
    List<Pending> pending(String after, UUID collection, int limit) {
        List<Pending> out = new ArrayList<>();
        for (Row row : await(pool.preparedQuery("SELECT c.id, d.collection_id, col.dimensions, col.native_dimensions, "
                        + "col.companion_dimensions FROM chunks c JOIN documents d ON d.id = c.document_id "
                        + "JOIN collections col ON col.id = d.collection_id WHERE c.id > $1 AND NOT EXISTS "
                        + "(SELECT 1 FROM sentence_vectors s WHERE s.chunk_id = c.id AND s.space = $2) "
                        + "AND ($4::uuid IS NULL OR d.collection_id = $4) ORDER BY c.id LIMIT $3")
                .execute(Tuple.of(after, space(), limit, collection)))) {
            out.add(new Pending(
                    row.getString(0),
                    row.getUUID(1),
                    row.getInteger(2),
                    row.getInteger(3) == null ? 0 : row.getInteger(3),
                    row.getInteger(4) == null ? 0 : row.getInteger(4)));
        }
        return out;
    }

    /** Chunks without sentence vectors in this space (two counts: cheap however many chunks there are). */
    long backlog() {
        return await(pool.preparedQuery("SELECT (SELECT count(*) FROM chunks) "
                                + "- (SELECT count(*) FROM sentence_vectors WHERE space = $1)")
                        .execute(Tuple.of(space())))
                .iterator()
                .next()
                .getLong(0);
    }

    /**
     * Stores a chunk's sentences' vectors (replacing a row of another space), without waiting: completes with false
     * when the chunk is gone (its document was deleted or ingested again meanwhile), true when the row is written.
     */
    java.util.concurrent.CompletableFuture<Boolean> store(
            String chunkId, List<String> sentences, List<float[]> vectors) {
        // A plain future: subscribeAsCompletionStage() adds context propagation, which this background thread has
        // no use for.
        java.util.concurrent.CompletableFuture<Boolean> written = new java.util.concurrent.CompletableFuture<>();
        insert(chunkId, sentences, vectors).subscribe().with(written::complete, written::completeExceptionally);
        return written;
    }

    private Uni<Boolean> insert(String chunkId, List<String> sentences, List<float[]> vectors) {
        if (sentences.size() != vectors.size()) {
            throw new IllegalArgumentException(
                    "one vector per sentence; sentences=" + sentences.size() + ", vectors=" + vectors.size());
        }
        return pool.preparedQuery("INSERT INTO sentence_vectors (chunk_id, space, sentences, vectors) "
                        + "SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM chunks WHERE id = $1) "
                        + "ON CONFLICT (chunk_id) DO UPDATE SET space = EXCLUDED.space, "
                        + "sentences = EXCLUDED.sentences, vectors = EXCLUDED.vectors")
                .execute(Tuple.of(
                        chunkId, space(), hash(sentences), io.vertx.core.buffer.Buffer.buffer(encode(vectors))))
                .map(rows -> rows.rowCount() > 0);
    }

    /** FNV-1a (64 bits) over the sentences, each ended by a NUL: what the stored vectors were made for. */
    static long hash(List<String> sentences) {
        long h = 0xcbf29ce484222325L;
        for (String s : sentences) {
            for (int i = 0; i < s.length(); i++) {
                h = (h ^ s.charAt(i)) * 0x100000001b3L;
            }
            h = (h ^ 0) * 0x100000001b3L;
        }
        return h;
    }

    /** The vectors one after the other, float32 little-endian. */
    static byte[] encode(List<float[]> vectors) {
        int floats = vectors.stream().mapToInt(v -> v.length).sum();
        ByteBuffer out = ByteBuffer.allocate(floats * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] v : vectors) {
            for (float f : v) {
                out.putFloat(f);
            }
        }
        return out.array();
    }

    /** {@code count} vectors of equal length from {@link #encode}; null when the bytes cannot hold them. */
    static List<float[]> decode(byte[] bytes, int count) {
        if (count == 0) {
            return bytes.length == 0 ? List.of() : null;
        }
        if (bytes.length % (count * Float.BYTES) != 0 || bytes.length == 0) {
            return null;
        }
        int dimensions = bytes.length / count / Float.BYTES;
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<float[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] v = new float[dimensions];
            in.asFloatBuffer().get(v);
            in.position(in.position() + dimensions * Float.BYTES);
            out.add(v);
        }
        return out;
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }
}
