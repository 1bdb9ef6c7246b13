package dev.omnirag.server.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnirag.embeddings.Embedder;
import dev.omnirag.embeddings.EmbeddingException;
import dev.omnirag.generator.text.Hyphenation;
import dev.omnirag.index.IndexedChunk;
import dev.omnirag.index.VectorIndex;
import dev.omnirag.server.config.EmbedderConfig;
import dev.omnirag.server.config.IngestConfig;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.search.CollectionIndexes;
import dev.omnirag.server.search.EmbeddingSpaces;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * The stages of ingesting documents, without their threading: {@link #prepare} parses a claimed document (within
 * {@code omnirag.ingest.parse-timeout}), completes OCR and speech recognition, and plans its chunks; {@link #embed}
 * embeds the chunks of several prepared documents in shared calls and hands back what the {@link GroupCommitter}
 * adds, commits and marks ready. Progress is written to the job as it goes, at most every 500 ms per job.
 * Thread-safe: every worker thread calls it.
 *
 * <p>Long because it is the whole parse, plan, embed and upsert path of a document, with its batching across
 * documents; it holds no threads.
 */
@ApplicationScoped
public class IngestionPipeline {

    private static final Logger LOG = Logger.getLogger(IngestionPipeline.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Least time between two progress writes of one job: each is a transaction (and a WAL fsync), which for small
     * documents costs more than the progress is worth. Leases are renewed by their own timer.
     */
    private static final long PROGRESS_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** A claimed job and its collection. */
    public record Work(JobQueue.Claim claim, CollectionEntity collection) {}

    /**
     * A parsed and chunked document, ready to embed; {@code companion} is the collection's companion text embedder,
     * null when it has none.
     */
    public record Prepared(
            Work work,
            ParsedDocument parsed,
            ChunkPlanner.Plan plan,
            Map<Integer, float[]> nativeVectors,
            VectorIndex index,
            long startedNanos,
            Embedder companion) {}

    /**
     * A document whose chunks are embedded: all but {@code last} are in its index already; the committer adds
     * {@code last} (with the other documents' it commits together: one refresh, one segment), commits, then marks the
     * document ready.
     */
    public record Embedded(Prepared prepared, List<IndexedChunk> last) {
        public Work work() {
            return prepared.work();
        }
    }

    private final BlobStore blobs;
    private final DocumentParser parser;
    private final ChunkPlanner planner;
    private final Embedder embedder;
    private final EmbeddingSpaces spaces;
    private final MediaProcessor media;
    private final CollectionIndexes indexes;
    private final IngestConfig config;
    private final JobQueue jobs;
    /** Callers that may embed at once: the cores over the embedder's threads, at least one. */
    private final Semaphore embedders;
    /** When each running job last wrote its progress. */
    private final Map<UUID, Long> lastProgress = new ConcurrentHashMap<>();

    IngestionPipeline(
            BlobStore blobs,
            DocumentParser parser,
            ChunkPlanner planner,
            Embedder embedder,
            EmbeddingSpaces spaces,
            MediaProcessor media,
            CollectionIndexes indexes,
            IngestConfig config,
            JobQueue jobs,
            EmbedderConfig embedderConfig) {
        this.blobs = blobs;
        this.parser = parser;
        this.planner = planner;
        this.embedder = embedder;
        this.spaces = spaces;
        this.media = media;
        this.indexes = indexes;
        this.config = config;
        this.jobs = jobs;
        int cores = Runtime.getRuntime().availableProcessors();
        // One call already keeps threads × parallel runs cores busy (every core by default).
        this.embedders = new Semaphore(Math.max(
                1, cores / (EmbedderConfig.threadsOf(embedderConfig) * EmbedderConfig.parallelRunsOf(embedderConfig))));
    }

    /**
     * Parses the document of {@code work} (on {@code parsers}, so that a parse past the time limit is abandoned),
     * runs OCR and speech recognition outside that limit, and plans its chunks.
     *
     * @throws IngestException.BadFile when the file cannot give chunks (empty, unreadable, no text, too many chunks)
     */
    public Prepared prepare(Work work, ExecutorService parsers) throws Exception {
        long started = System.nanoTime();
        JobQueue.Claim doc = work.claim();
        lastProgress.put(doc.jobId(), started); // the first progress write comes 500 ms into the job
        LOG.debugf(
                "Ingesting %s (%s, %d bytes) into collection %s",
                doc.filename(), doc.mediaType(), doc.sizeBytes(), work.collection().name);
        if (doc.sizeBytes() == 0) {
            throw new IngestException.BadFile("the file is empty (0 bytes)");
        }
        spaces.checkText(work.collection());
        Optional<Embedder> nativeEmbedder = spaces.nativeFor(work.collection());
        Embedder companion = spaces.companionFor(work.collection()).orElse(null);
        Path file = blobs.path(doc.sha256());
        ParsedDocument parsed = parse(parsers, file, doc.mediaType(), doc.filename());
        if (!parsed.ocrPages().isEmpty()
                || parsed.kind() == ParsedDocument.Kind.AUDIO
                || parsed.kind() == ParsedDocument.Kind.PDF
                || !parsed.pictures().isEmpty()) {
            // OCR (of pages and of pictures in a PDF or an office file) and speech recognition run outside the parse
            // time limit, each page, picture or recording with its own.
            parsed = media.complete(
                    parsed,
                    file,
                    doc.mediaType(),
                    (message, fraction) -> progress(work, 0.02 + 0.06 * fraction, message));
        }
        if (!parsed.hasText()) {
            throw new IngestException.BadFile(
                    parsed.kind() == ParsedDocument.Kind.PDF
                            ? "no text could be extracted from the PDF's pages, not even by OCR"
                            : "no text could be extracted from the file");
        }
        ChunkPlanner.Plan plan = planner.plan(parsed);
        if (plan.size() == 0) {
            throw new IngestException.BadFile("the file has no text to index");
        }
        if (plan.size() > config.maxChunksPerDocument()) {
            throw new IngestException.BadFile(
                    "the document would have " + plan.size() + " chunks; at most " + config.maxChunksPerDocument()
                            + " are indexed per document (omnirag.ingest.max-chunks-per-document)");
        }
        Map<Integer, float[]> nativeVectors = planner.nativeVectors(
                parsed,
                plan,
                file,
                doc.mediaType(),
                nativeEmbedder.orElse(null),
                page -> progress(work, 0.09, "image vector of page " + page));
        progress(work, 0.1, "parsed " + parsed.pages().size() + " page(s) into " + plan.size() + " chunks");
        VectorIndex index = indexes.get(work.collection());
        // Chunks of an earlier, interrupted run go first. Only a job claimed before can have any (its attempts
        // count claims); counted before deleting: a delete waits for a commit the committer may be running.
        if (doc.attempt() > 1 && index.countDocument(doc.documentId().toString()) > 0) {
            index.deleteDocument(doc.documentId().toString());
        }
        return new Prepared(work, parsed, plan, nativeVectors, index, started, companion);
    }

    /**
     * Embeds the chunks of {@code group} in calls of {@code omnirag.ingest.embed-batch} chunks that may span
     * documents. A document whose chunks do not fit one call has its earlier batches added to its index as they are
     * done (memory stays bounded; deferred, so they are searchable from the committer's commit on, as one segment);
     * its last batch is returned for the committer. A document whose embedding or
     * indexing fails is reported to {@code onFailure} with the reason and left out; the others go on.
     *
     * @throws InterruptedException when the thread is interrupted (shutdown): nothing of the group is finished
     */
    public List<Embedded> embed(List<Prepared> group, BiConsumer<Work, String> onFailure) throws InterruptedException {
        int batch = Math.max(1, config.embedBatch());
        int docs = group.size();
        List<List<IndexedChunk>> pending = new ArrayList<>(docs);
        int[] done = new int[docs];
        boolean[] failed = new boolean[docs];
        List<int[]> refs = new ArrayList<>(); // {document, chunk}
        for (int d = 0; d < docs; d++) {
            pending.add(new ArrayList<>());
            for (int c = 0; c < group.get(d).plan().size(); c++) {
                refs.add(new int[] {d, c});
            }
        }
        for (int from = 0; from < refs.size(); from += batch) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("the server is shutting down");
            }
            List<int[]> part = new ArrayList<>();
            for (int[] ref : refs.subList(from, Math.min(refs.size(), from + batch))) {
                if (!failed[ref[0]]) {
                    part.add(ref);
                }
            }
            Map<Integer, float[][]> vectors = embedIsolated(group, part, failed, onFailure);
            for (int[] ref : part) {
                float[][] vector = vectors.get(ref[0] * 1_000_003 + ref[1]);
                if (vector == null) {
                    continue;
                }
                pending.get(ref[0]).add(indexed(group.get(ref[0]), ref[1], vector[0], vector[1]));
                done[ref[0]]++;
            }
            for (int d = 0; d < docs; d++) {
                Prepared p = group.get(d);
                if (failed[d] || !touches(part, d)) {
                    continue;
                }
                int total = p.plan().size();
                if (done[d] < total && pending.get(d).size() >= batch) {
                    try {
                        p.index().upsertDeferred(pending.get(d));
                        pending.get(d).clear();
                    } catch (RuntimeException e) {
                        failed[d] = true;
                        onFailure.accept(
                                p.work(),
                                IngestionFailures.internal(
                                        "indexing the file " + p.work().claim().filename(), e));
                        continue;
                    }
                }
                progress(p.work(), 0.1 + 0.85 * done[d] / total, "embedded " + done[d] + " of " + total + " chunks");
            }
        }
        List<Embedded> out = new ArrayList<>();
        for (int d = 0; d < docs; d++) {
            if (!failed[d]) {
                out.add(new Embedded(group.get(d), List.copyOf(pending.get(d))));
            }
        }
        return out;
    }

    private static boolean touches(List<int[]> part, int document) {
        for (int[] ref : part) {
            if (ref[0] == document) {
                return true;
            }
        }
        return false;
    }

    /**
     * Embeds one call's chunks, keyed by {@code document * 1_000_003 + chunk}: the text vector and the companion
     * vector (null when the document's collection has no companion). When the call fails and spans several
     * documents, each document's chunks are embedded alone, so only the document at fault fails.
     */
    private Map<Integer, float[][]> embedIsolated(
            List<Prepared> group, List<int[]> part, boolean[] failed, BiConsumer<Work, String> onFailure)
            throws InterruptedException {
        Map<Integer, float[][]> out = new java.util.HashMap<>();
        if (part.isEmpty()) {
            return out;
        }
        try {
            List<float[]> vectors =
                    embedTexts(embedder, part.stream().map(r -> text(group, r)).toList());
            // The companion (one per server: EmbeddingSpaces) embeds the same texts of the documents whose collection
            // has it, in one call.
            float[][] companions = new float[part.size()][];
            List<Integer> withCompanion = new ArrayList<>();
            for (int i = 0; i < part.size(); i++) {
                if (group.get(part.get(i)[0]).companion() != null) {
                    withCompanion.add(i);
                }
            }
            if (!withCompanion.isEmpty()) {
                List<float[]> cv = embedTexts(
                        group.get(part.get(withCompanion.getFirst())[0]).companion(),
                        withCompanion.stream()
                                .map(i -> text(group, part.get(i)))
                                .toList());
                for (int j = 0; j < cv.size(); j++) {
                    companions[withCompanion.get(j)] = cv.get(j);
                }
            }
            for (int i = 0; i < part.size(); i++) {
                out.put(part.get(i)[0] * 1_000_003 + part.get(i)[1], new float[][] {vectors.get(i), companions[i]});
            }
            return out;
        } catch (EmbeddingException e) {
            Map<Integer, List<int[]>> byDocument = new LinkedHashMap<>();
            part.forEach(r ->
                    byDocument.computeIfAbsent(r[0], d -> new ArrayList<>()).add(r));
            if (byDocument.size() == 1) {
                int d = part.getFirst()[0];
                failed[d] = true;
                onFailure.accept(group.get(d).work(), "embedding failed: " + e.getMessage());
                return out;
            }
            for (Map.Entry<Integer, List<int[]>> one : byDocument.entrySet()) {
                out.putAll(embedIsolated(group, one.getValue(), failed, onFailure));
            }
            return out;
        }
    }

    /**
     * What the embedder reads of a chunk: its text, with a PDF's line-end hyphenation joined ("in-\nterpreter" reads
     * as "interpreter"), under the document's title when the chunk does not hold it ({@link ChunkPlanner#embedded});
     * the stored text keeps the page's characters.
     */
    private static String text(List<Prepared> group, int[] ref) {
        Prepared p = group.get(ref[0]);
        String text = p.plan().chunks().get(ref[1]).text();
        return ChunkPlanner.embedded(
                p.plan().title(), p.parsed().kind() == ParsedDocument.Kind.PDF ? Hyphenation.join(text) : text);
    }

    /**
     * Embeds with at most {@code embedders} callers at once: each embedding already uses the embedder's threads (by
     * default every core), and more at once would only make them compete. Other workers meanwhile claim, parse and
     * chunk their next documents.
     */
    private List<float[]> embedTexts(Embedder model, List<String> texts) throws InterruptedException {
        embedders.acquire();
        try {
            return model.embedDocuments(texts);
        } finally {
            embedders.release();
        }
    }

    private static IndexedChunk indexed(Prepared p, int ordinal, float[] vector, float[] companion) {
        JobQueue.Claim doc = p.work().claim();
        Chunker.Chunk c = p.plan().chunks().get(ordinal);
        IndexedChunk chunk = new IndexedChunk(
                chunkId(doc.documentId(), ordinal),
                doc.documentId().toString(),
                doc.filename(),
                doc.mediaType(),
                c.text(),
                vector,
                p.plan().locators().get(ordinal),
                metadataOf(doc.metadata()),
                p.nativeVectors().get(ordinal),
                companion);
        if (p.parsed().kind() != ParsedDocument.Kind.PDF) {
            return chunk;
        }
        // Keyword search finds a word a PDF broke across lines ("Spi-\nderMonkey") whole, and its parts still.
        List<String> broken = Hyphenation.brokenWords(c.text());
        return broken.isEmpty() ? chunk : chunk.withKeywordText(c.text() + "\n" + String.join(" ", broken));
    }

    /** The rows that record where each chunk of {@code p} lies. */
    static List<JobQueue.ChunkRow> chunkRows(Prepared p) {
        List<JobQueue.ChunkRow> rows = new ArrayList<>(p.plan().size());
        UUID documentId = p.work().claim().documentId();
        for (int i = 0; i < p.plan().size(); i++) {
            Chunker.Chunk c = p.plan().chunks().get(i);
            var l = p.plan().locators().get(i);
            var box = l.bbox();
            rows.add(new JobQueue.ChunkRow(
                    chunkId(documentId, i),
                    i,
                    p.parsed().paged() ? c.page() : null,
                    c.charStart(),
                    c.charEnd(),
                    c.tokens(),
                    box == null ? null : box.x(),
                    box == null ? null : box.y(),
                    box == null ? null : box.w(),
                    box == null ? null : box.h(),
                    l.startMs(),
                    l.endMs(),
                    Spans.toJson(p.plan().spans().get(i))));
        }
        return rows;
    }

    /** The job is done with (finished, failed or handed back): forgets its progress clock. */
    public void forget(UUID jobId) {
        lastProgress.remove(jobId);
    }

    private void progress(Work work, double progress, String message) {
        long now = System.nanoTime();
        Long last = lastProgress.get(work.claim().jobId());
        if (last != null && now - last < PROGRESS_INTERVAL_NANOS) {
            return;
        }
        lastProgress.put(work.claim().jobId(), now);
        try {
            jobs.progress(work.claim(), progress, message);
        } catch (RuntimeException e) {
            LOG.debugf(
                    "Could not record the progress of job %s: %s", work.claim().jobId(), e.getMessage());
        }
    }

    private ParsedDocument parse(ExecutorService parsers, Path file, String mediaType, String filename)
            throws Exception {
        Future<ParsedDocument> future = parsers.submit(() -> parser.parse(file, mediaType, filename));
        try {
            return future.get(config.parseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IngestException.BadFile(
                    "parsing took longer than " + config.parseTimeout().toSeconds()
                            + " s (omnirag.ingest.parse-timeout); the file may be damaged or too complex");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw new IngestException.BadFile("cannot read the file: " + e.getCause());
        }
    }

    /** Deterministic chunk id: the same document, version and position always give the same id. */
    public static String chunkId(UUID documentId, int ordinal) {
        return documentId + ":v1:" + ordinal;
    }

    /** User metadata as strings, for exact-match filters in the index. */
    static Map<String, String> metadataOf(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        try {
            JSON.readTree(json)
                    .properties()
                    .forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        } catch (Exception e) {
            LOG.warnf("ignoring unreadable document metadata: %s", e.getMessage());
        }
        return out;
    }
}
