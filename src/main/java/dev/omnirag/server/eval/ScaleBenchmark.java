package dev.omnirag.server.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.omnirag.embeddings.OnnxTextEmbedder;
import dev.omnirag.index.IndexedChunk;
import dev.omnirag.index.Locator;
import dev.omnirag.index.VectorIndex;
import dev.omnirag.index.bench.ClusteredVectors;
import dev.omnirag.server.config.IndexConfig;
import dev.omnirag.server.db.ManagedPostgres;
import dev.omnirag.server.ingest.Chunker;
import dev.omnirag.server.ingest.IngestionPipeline;
import dev.omnirag.server.search.CollectionIndexes;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server at scale, end to end: one collection of N chunks (default 1,000,000) searched through the HTTP API by 1
 * and 8 concurrent clients.
 *
 * <p>A million real chunks would take a million embeddings (about three days of this machine's embedder), so the
 * chunks are made from real ones: the 16,000-odd chunks of Cranfield, CACM and NPL with their bge-small vectors (the
 * evaluation's vector cache, {@code --vector-cache}; embedded and cached on first use) are the seeds; each made chunk
 * is a seed's text with a share of its words dropped ({@code --drop}) and the seed's vector plus gaussian noise
 * ({@code --noise}, 0.02 per dimension: as hard for HNSW as the real vectors at 100,000, docs/benchmarks.md). The
 * questions are Cranfield's, embedded by the server as any search is, so the keyword and vector lists, their fusion
 * and every stage after them run on text and vectors shaped like real ones.
 *
 * <ol>
 *   <li>The packaged server starts with a fresh home and creates the collection ({@code POST /v1/collections}), then
 *       stops.</li>
 *   <li>The bulk path, in this process with the server stopped: the chunks go into the collection's Lucene index
 *       through the server's own index code ({@link CollectionIndexes#openLuceneOffline}, with the server's
 *       {@code omnirag.index.*} settings), and their documents (ready, {@code chunk_count} set) and chunk rows into
 *       the server's embedded PostgreSQL, as ingestion leaves them; so the server's start-up reconciliation finds
 *       index and database in agreement. With {@code OMNIRAG_INDEX_BACKEND=PGVECTOR} and
 *       {@code OMNIRAG_INDEX_PGVECTOR_URL} in the environment, the chunks go into the collection's pgvector table in
 *       that database instead ({@link CollectionIndexes#openPgVectorOffline}): rows first, then the HNSW graph built
 *       once and the table analysed, as docs/scaling.md advises for a first bulk load.</li>
 *   <li>The server starts again (timed: opening a million-chunk collection and reconciling it); after a warm-up
 *       ({@code --warmup}, the most clients; JIT compilation and the page cache), {@link LoadTest} runs search-only
 *       load ({@code --ask-ratio 0}) for {@code --duration} at each of {@code --clients}: requests per second and
 *       p50 / p95 / p99 latency. The server's resident memory is printed after each.</li>
 * </ol>
 *
 * <p>Run: {@code deploy/omnirag scale-bench [--chunks 1000000] [--vector-cache DIR] [--clients 1,8] [--duration 60s]
 * [--warmup 30s] [--noise 0.02] [--drop 0.2] [--chunks-per-document 10] [--threads 2] [--seed 42] [--home DIR] [--keep]
 * [--jar PATH]}. Server settings go in the environment ({@code OMNIRAG_INDEX_QUANTIZATION=INT8} applies to the bulk
 * load and the server alike).
 *
 * <p>Long because it is a whole command-line tool: options, the seeds, the bulk load into index and database, and the
 * server runs.
 */
public final class ScaleBenchmark {

    /** Parsed command line; validated in the compact constructor. */
    record Options(
            int chunks,
            int chunksPerDocument,
            double noise,
            double drop,
            List<Integer> clients,
            String duration,
            String warmup,
            int threads,
            long seed,
            Path vectorCache,
            Path home,
            boolean keep,
            Path jar) {
        Options {
            if (chunks < 1000 || chunks > 5_000_000) {
                throw new IllegalArgumentException("chunks must be in 1000..5000000; chunks=" + chunks);
            }
            if (chunksPerDocument < 1 || chunksPerDocument > 1000) {
                throw new IllegalArgumentException(
                        "chunks-per-document must be in 1..1000; chunks-per-document=" + chunksPerDocument);
            }
            if (!(noise >= 0 && noise <= 1)) {
                throw new IllegalArgumentException("noise must be in 0..1; noise=" + noise);
            }
            if (!(drop >= 0 && drop < 1)) {
                throw new IllegalArgumentException("drop must be in [0, 1); drop=" + drop);
            }
            if (clients.isEmpty() || clients.stream().anyMatch(c -> c < 1 || c > 256)) {
                throw new IllegalArgumentException("clients must be numbers in 1..256; clients=" + clients);
            }
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("threads must be in 1..64; threads=" + threads);
            }
            clients = List.copyOf(clients);
        }
    }

    /** The real chunks the made ones are drawn from: texts and their vectors, in the same order. */
    record Seeds(List<String> texts, List<float[]> vectors) {}

    private final Options options;

    ScaleBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("scale-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new ScaleBenchmark(options).run());
    }

    int run() throws Exception {
        Seeds seeds = seeds();
        Path home = options.home() != null ? options.home() : Files.createTempDirectory("omnirag-scale-bench-");
        System.out.printf("scale-bench: %,d chunks, home %s%n", options.chunks(), home);
        try {
            UUID collection;
            try (ServerProcess server = ServerProcess.start(options.jar(), home, Map.of(), Duration.ofMinutes(3))) {
                ServerClient client = new ServerClient(server.base(), null, Duration.ofSeconds(60));
                JsonNode made = client.send(
                        "POST",
                        "/v1/collections",
                        Map.of(
                                "name",
                                "scale-" + options.chunks(),
                                "description",
                                "chunks made from Cranfield, CACM and NPL (scale benchmark)"),
                        201);
                collection = UUID.fromString(made.get("id").asText());
                if (made.get("dimensions").asInt() != seeds.vectors().getFirst().length) {
                    throw new IOException("the collection has " + made.get("dimensions") + " dimensions; the seeds "
                            + seeds.vectors().getFirst().length);
                }
            }
            bulkLoad(home, collection, seeds);
            long start = System.nanoTime();
            // Searches only: the extractive answer's sentence vectors (a million chunks' worth, made while idle) are
            // not made, so nothing but the searches uses the cores.
            try (ServerProcess server = ServerProcess.start(
                    options.jar(),
                    home,
                    Map.of("OMNIRAG_GENERATOR_SENTENCE_VECTORS", "false"),
                    Duration.ofMinutes(30))) {
                System.out.printf(
                        Locale.ROOT,
                        "server: ready %.1f s after start with %,d chunks; resident memory %,d MiB%n",
                        (System.nanoTime() - start) / 1e9,
                        options.chunks(),
                        server.residentMiB());
                int most = options.clients().stream().max(Integer::compare).orElseThrow();
                System.out.printf("%n== warm-up (not a measurement): %d client(s), %s%n", most, options.warmup());
                int status = search(server, collection, most, options.warmup());
                for (int clients : options.clients()) {
                    System.out.printf("%n== search, %d client(s), %s%n", clients, options.duration());
                    status |= search(server, collection, clients, options.duration());
                }
                return status;
            }
        } finally {
            if (options.keep() || options.home() != null) {
                System.out.printf("scale-bench: home kept at %s%n", home);
            } else {
                IngestBenchmark.deleteHome(home);
            }
        }
    }

    /** Search-only load ({@link LoadTest}) of {@code clients} clients for {@code duration}; its exit status. */
    private int search(ServerProcess server, UUID collection, int clients, String duration) throws Exception {
        LoadTest.Options load = LoadTest.parse(new String[] {
            "--url", server.base().toString(),
            "--collection", collection.toString(),
            "--clients", Integer.toString(clients),
            "--duration", duration,
            "--ask-ratio", "0",
            "--seed", Long.toString(options.seed())
        });
        int status = new LoadTest(load).run();
        server.requireAlive();
        System.out.printf("server: resident memory %,d MiB%n", server.residentMiB());
        return status;
    }

    /** The chunks of the three collections, as the evaluation chunks them, with their vectors (cached). */
    private Seeds seeds() throws IOException {
        Path corpora = CranfieldEvaluation.findShared("corpora");
        List<TestCollection> pool = List.of(
                TestCollection.read(corpora.resolve("cranfield"), TestCollection.Format.CRANFIELD),
                TestCollection.read(corpora.resolve("cacm"), TestCollection.Format.SMART),
                TestCollection.read(corpora.resolve("npl"), TestCollection.Format.TREC));
        PoolEvaluation.vectorCache = options.vectorCache();
        List<String> texts = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        try (OnnxTextEmbedder embedder = OnnxTextEmbedder.bgeSmallEnV15()) {
            Chunker chunker = new Chunker(embedder::countTokens, 300, 50);
            for (TestCollection c : pool) {
                List<Chunker.Chunk> parts = new ArrayList<>();
                for (String text : c.documents().values()) {
                    parts.addAll(chunker.chunk(1, text));
                }
                vectors.addAll(PoolEvaluation.vectors(c.name(), embedder, parts, System.nanoTime()));
                parts.forEach(p -> texts.add(p.text()));
            }
        }
        System.out.printf("seeds: %,d real chunks of Cranfield, CACM and NPL%n", texts.size());
        return new Seeds(texts, vectors);
    }

    /**
     * Writes the chunks into the collection's index and their documents and chunk rows into the database, with the
     * server stopped; {@code --threads} threads make and index chunks (Lucene builds the HNSW graph as they arrive,
     * pgvector once after them).
     */
    private void bulkLoad(Path home, UUID collection, Seeds seeds) throws Exception {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultSources()
                .withMapping(IndexConfig.class)
                .build();
        IndexConfig indexConfig = config.getConfigMapping(IndexConfig.class);
        boolean pgvector = indexConfig.backend() == IndexConfig.Backend.PGVECTOR;
        int dimensions = seeds.vectors().getFirst().length;
        int documents = (options.chunks() + options.chunksPerDocument() - 1) / options.chunksPerDocument();
        long start = System.nanoTime();
        AtomicLong indexed = new AtomicLong();
        System.out.printf(
                Locale.ROOT,
                "bulk load: %,d documents of %d chunks, noise %.3f, %.0f%% of words dropped, %s, M %d, "
                        + "%s %d, %d threads%n",
                documents,
                options.chunksPerDocument(),
                options.noise(),
                100 * options.drop(),
                pgvector
                        ? "pgvector " + indexConfig.pgvector().storage()
                        : "quantization " + indexConfig.quantization(),
                indexConfig.hnswM(),
                pgvector ? "ef_construction" : "beam width",
                pgvector ? indexConfig.pgvector().efConstruction() : indexConfig.hnswBeamWidth(),
                options.threads());
        CollectionIndexes.OfflinePgVector pg =
                pgvector ? CollectionIndexes.openPgVectorOffline(indexConfig, collection, dimensions) : null;
        try (ManagedPostgres postgres = ManagedPostgres.start(home.resolve("postgres"), Duration.ofMinutes(2));
                VectorIndex index = pgvector
                        ? pg.index()
                        : CollectionIndexes.openLuceneOffline(home, indexConfig, collection, dimensions)) {
            if (pgvector) {
                // A first bulk load: rows first, the graph once after them (docs/scaling.md, "A large first load").
                pg.index().dropVectorIndexes();
            }
            ExecutorService pool = Executors.newFixedThreadPool(options.threads());
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < options.threads(); t++) {
                    int worker = t;
                    work.add(pool.submit(() -> {
                        load(postgres, collection, seeds, index, worker, documents, indexed, start);
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            double loaded = (System.nanoTime() - start) / 1e9;
            long commit = System.nanoTime();
            index.commit();
            if (pgvector) {
                System.out.printf(
                        Locale.ROOT,
                        "bulk load: %,d rows in %.1f s (%.0f chunks/s); building the HNSW graph%n",
                        indexed.get(),
                        loaded,
                        indexed.get() / loaded);
                pg.index().buildVectorIndexes();
                pg.index().analyze();
                System.out.printf(
                        Locale.ROOT,
                        "bulk load: HNSW graph built and the table analysed in %.1f s; table %s with its indexes %,d MiB%n",
                        (System.nanoTime() - commit) / 1e9,
                        pg.index().table(),
                        pg.index().sizeBytes() >> 20);
            } else {
                System.out.printf(
                        Locale.ROOT,
                        "bulk load: %,d chunks in %.1f s (%.0f chunks/s), commit %.1f s; index %,d MiB on disk%n",
                        indexed.get(),
                        loaded,
                        indexed.get() / loaded,
                        (System.nanoTime() - commit) / 1e9,
                        sizeMiB(home.resolve("indexes").resolve(collection.toString())));
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    /** One thread's share: documents {@code worker}, {@code worker + threads}, ... */
    private void load(
            ManagedPostgres postgres,
            UUID collection,
            Seeds seeds,
            VectorIndex index,
            int worker,
            int documents,
            AtomicLong indexed,
            long start)
            throws SQLException {
        Random random = new Random(options.seed() * 31 + worker);
        try (Connection db = DriverManager.getConnection(
                        postgres.jdbcUrl() + "?reWriteBatchedInserts=true", postgres.username(), postgres.password());
                PreparedStatement docs = db.prepareStatement("INSERT INTO documents (id, collection_id, filename, "
                        + "media_type, size_bytes, sha256, status, chunk_count, page_count, created_at, updated_at) "
                        + "VALUES (?, ?, ?, 'text/plain', ?, ?, 'ready', ?, 1, now(), now())");
                PreparedStatement rows = db.prepareStatement("INSERT INTO chunks (id, document_id, ordinal, page, "
                        + "char_start, char_end, token_count) VALUES (?, ?, ?, 1, ?, ?, ?)")) {
            db.setAutoCommit(false);
            List<IndexedChunk> batch = new ArrayList<>();
            for (int d = worker; d < documents; d += options.threads()) {
                UUID documentId = new UUID(random.nextLong(), random.nextLong());
                String filename = "scale-" + d + ".txt";
                int count = Math.min(options.chunksPerDocument(), options.chunks() - d * options.chunksPerDocument());
                int offset = 0;
                for (int ordinal = 0; ordinal < count; ordinal++) {
                    int s = random.nextInt(seeds.texts().size());
                    String text = dropWords(seeds.texts().get(s), random);
                    String id = IngestionPipeline.chunkId(documentId, ordinal);
                    batch.add(new IndexedChunk(
                            id,
                            documentId.toString(),
                            filename,
                            "text/plain",
                            text,
                            ClusteredVectors.jitter(seeds.vectors().get(s), options.noise(), random),
                            new Locator(1, offset, offset + text.length()),
                            Map.of(),
                            null,
                            null));
                    rows.setString(1, id);
                    rows.setObject(2, documentId);
                    rows.setInt(3, ordinal);
                    rows.setInt(4, offset);
                    rows.setInt(5, offset + text.length());
                    rows.setInt(6, text.split("\\s+").length);
                    rows.addBatch();
                    offset += text.length() + 1;
                }
                docs.setObject(1, documentId);
                docs.setObject(2, collection);
                docs.setString(3, filename);
                docs.setLong(4, offset);
                docs.setString(5, HexFormat.of().formatHex(longBytes(random)));
                docs.setInt(6, count);
                docs.addBatch();
                if (batch.size() >= 1000) {
                    flush(db, docs, rows, index, batch, indexed, start);
                }
            }
            flush(db, docs, rows, index, batch, indexed, start);
        }
    }

    /** The batch into the index, then its rows (the index is committed once at the end, before the server starts). */
    private void flush(
            Connection db,
            PreparedStatement docs,
            PreparedStatement rows,
            VectorIndex index,
            List<IndexedChunk> batch,
            AtomicLong indexed,
            long start)
            throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        index.upsert(batch);
        docs.executeBatch();
        rows.executeBatch();
        db.commit();
        long before = indexed.getAndAdd(batch.size());
        long after = before + batch.size();
        if (after / 50_000 != before / 50_000) {
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "bulk load: %,d / %,d chunks (%.0f chunks/s)%n",
                    after,
                    options.chunks(),
                    after / seconds);
        }
        batch.clear();
    }

    /** The text with each word dropped with probability {@code --drop} (at least one word kept). */
    private String dropWords(String text, Random random) {
        String[] words = text.split("\\s+");
        StringBuilder out = new StringBuilder(text.length());
        for (String w : words) {
            if (random.nextDouble() >= options.drop()) {
                if (!out.isEmpty()) {
                    out.append(' ');
                }
                out.append(w);
            }
        }
        return out.isEmpty() ? words[0] : out.toString();
    }

    private static byte[] longBytes(Random random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return b;
    }

    private static long sizeMiB(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                            .mapToLong(p -> p.toFile().length())
                            .sum()
                    / (1024 * 1024);
        }
    }

    static Options parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--keep")) {
                keep = true;
                continue;
            }
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value; got '" + a + "' (options: --chunks, "
                        + "--chunks-per-document, --noise, --drop, --clients, --duration, --warmup, --threads, --seed, "
                        + "--vector-cache, --home, --keep, --jar)");
            }
            values.put(a.substring(2), args[++i]);
        }
        List<Integer> clients = new ArrayList<>();
        for (String c : values.getOrDefault("clients", "1,8").split(",")) {
            clients.add(Integer.parseInt(c.strip()));
        }
        Options o = new Options(
                Integer.parseInt(values.getOrDefault("chunks", "1000000")),
                Integer.parseInt(values.getOrDefault("chunks-per-document", "10")),
                Double.parseDouble(values.getOrDefault("noise", "0.02")),
                Double.parseDouble(values.getOrDefault("drop", "0.2")),
                clients,
                values.getOrDefault("duration", "60s"),
                values.getOrDefault("warmup", "30s"),
                Integer.parseInt(values.getOrDefault("threads", "2")),
                Long.parseLong(values.getOrDefault("seed", "42")),
                Path.of(values.getOrDefault("vector-cache", "target/eval-vectors")),
                values.containsKey("home") ? Path.of(values.get("home")) : null,
                keep,
                Path.of(values.getOrDefault("jar", "src/target/quarkus-app/quarkus-run.jar")));
        values.keySet()
                .removeAll(List.of(
                        "chunks",
                        "chunks-per-document",
                        "noise",
                        "drop",
                        "clients",
                        "duration",
                        "warmup",
                        "threads",
                        "seed",
                        "vector-cache",
                        "home",
                        "jar"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + values.keySet());
        }
        return o;
    }
}
