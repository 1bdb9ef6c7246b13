package dev.omnirag.index.bench;

import dev.omnirag.index.IndexedChunk;
import dev.omnirag.index.Locator;
import dev.omnirag.index.LuceneHybridIndex;
import dev.omnirag.index.PgVectorIndex;
import dev.omnirag.index.SearchHit;
import dev.omnirag.index.SearchMode;
import dev.omnirag.index.SearchRequest;
import dev.omnirag.index.VectorIndex;
import dev.omnirag.index.VectorQuantization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Compares HNSW vector search (float32 and int8-quantized {@link LuceneHybridIndex}) with exact brute force
 * on clustered random unit vectors, reporting build time, queries per second, recall@k and speed-up.
 *
 * <p>Usage (every option has a default):
 * <pre>
 * HnswBenchmark [--n 100000] [--dims 384] [--queries 200] [--k 10] [--clusters 1000] [--noise 0.05]
 *               [--seed 42] [--m 16] [--beam 100] [--ef 100] [--batch 10000] [--threads &lt;cores&gt;]
 *               [--segments 1 | --no-merge] [--dir &lt;new temp dir&gt;] [--keep]
 *               [--pgvector | --pg-url jdbc:postgresql://… --pg-user u --pg-password p] [--pg-n &lt;n&gt;]
 *               [--pg-load bulk | graph] [--skip-lucene]
 *               [--seeds a.f32,b.f32 [--real]] [--efs 10,20,50,100,200,400]
 * </pre>
 * {@code --seeds}: vectors around real embeddings (files of big-endian float32 rows, e.g. the evaluation's vector
 * cache): each a random real vector plus {@code --noise} per dimension; with {@code --real}, the real vectors
 * themselves (a few held out as queries). {@code --efs}: recall and single-threaded queries/s at each ef_search too.
 * {@code --pg-load bulk} (the default) loads pgvector's rows first and builds the HNSW graph once after them, in
 * parallel as the server allows (docs/scaling.md, "A large first load"); {@code graph} inserts into a table that has
 * its graph, as a server's uploads do. {@code --skip-lucene}: exact search and pgvector only.
 *
 * <p> * Indexing uses {@code --threads} concurrent upsert batches; every query timing is single threaded (exact:
 * one pass over the queries; HNSW: after a warm-up, whole passes until at least 5,000 searches), so the
 * speed-up is per core. HNSW timings go through {@link LuceneHybridIndex#search}, stored-field loading
 * of the hits included. Run with {@code --add-modules jdk.incubator.vector} so Lucene uses SIMD.
 *
 * <p>Long because it is a whole command-line tool: options, vector generation and calibration, exact and HNSW runs for
 * float32 and int8, pgvector, and the report.
 */
public final class HnswBenchmark {

    private static final int WARMUP_SEARCHES = 2000;
    private static final int MIN_TIMED_SEARCHES = 5000;
    /** Timed searches at least at each {@code --efs} value, and of pgvector. */
    private static final int EF_TIMED_SEARCHES = 2000;

    private HnswBenchmark() {}

    /** Options, parsed from {@code --name value} pairs. */
    private record Options(
            int n,
            int dims,
            int queries,
            int k,
            int clusters,
            double noise,
            long seed,
            int m,
            int beam,
            int ef,
            int batch,
            int threads,
            int segments,
            Path dir,
            boolean tempDir,
            boolean keep,
            boolean pgvector,
            String pgUrl,
            String pgUser,
            String pgPassword,
            int pgN,
            boolean pgBulk,
            boolean skipLucene,
            String seeds,
            boolean real,
            List<Integer> efs) {

        Options withN(int count) {
            return new Options(
                    count,
                    dims,
                    queries,
                    k,
                    clusters,
                    noise,
                    seed,
                    m,
                    beam,
                    ef,
                    batch,
                    threads,
                    segments,
                    dir,
                    tempDir,
                    keep,
                    pgvector,
                    pgUrl,
                    pgUser,
                    pgPassword,
                    Math.min(pgN, count),
                    pgBulk,
                    skipLucene,
                    seeds,
                    real,
                    efs);
        }

        static Options parse(String[] args) throws IOException {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--keep")
                        || arg.equals("--no-merge")
                        || arg.equals("--pgvector")
                        || arg.equals("--skip-lucene")
                        || arg.equals("--real")) {
                    values.put(arg.substring(2), "true");
                } else if (arg.startsWith("--") && i + 1 < args.length) {
                    values.put(arg.substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("unexpected argument: " + arg);
                }
            }
            int cores = Runtime.getRuntime().availableProcessors();
            Options o = new Options(
                    intOption(values, "n", 100_000),
                    intOption(values, "dims", 384),
                    intOption(values, "queries", 200),
                    intOption(values, "k", 10),
                    intOption(values, "clusters", 1000),
                    Double.parseDouble(values.getOrDefault("noise", String.valueOf(ClusteredVectors.DEFAULT_NOISE))),
                    Long.parseLong(values.getOrDefault("seed", "42")),
                    intOption(values, "m", 16),
                    intOption(values, "beam", 100),
                    intOption(values, "ef", 100),
                    intOption(values, "batch", 10_000),
                    intOption(values, "threads", cores),
                    values.containsKey("no-merge") ? 0 : intOption(values, "segments", 1),
                    values.containsKey("dir")
                            ? Path.of(values.get("dir"))
                            : Files.createTempDirectory("omnirag-hnsw-bench"),
                    !values.containsKey("dir"),
                    values.containsKey("keep"),
                    values.containsKey("pgvector") || values.containsKey("pg-url"),
                    values.get("pg-url"),
                    values.getOrDefault("pg-user", "postgres"),
                    values.getOrDefault("pg-password", "postgres"),
                    intOption(values, "pg-n", intOption(values, "n", 100_000)),
                    pgLoad(values.getOrDefault("pg-load", "bulk")),
                    values.containsKey("skip-lucene"),
                    values.get("seeds"),
                    values.containsKey("real"),
                    values.containsKey("efs")
                            ? java.util.Arrays.stream(values.get("efs").split(","))
                                    .map(String::strip)
                                    .map(Integer::parseInt)
                                    .toList()
                            : List.of());
            if (o.real() && o.seeds() == null) {
                throw new IllegalArgumentException("--real needs --seeds (the real vectors to index)");
            }
            values.keySet()
                    .removeAll(List.of(
                            "seeds",
                            "real",
                            "efs",
                            "n",
                            "dims",
                            "queries",
                            "k",
                            "clusters",
                            "noise",
                            "seed",
                            "m",
                            "beam",
                            "ef",
                            "batch",
                            "threads",
                            "segments",
                            "no-merge",
                            "dir",
                            "keep",
                            "pgvector",
                            "pg-url",
                            "pg-user",
                            "pg-password",
                            "pg-n",
                            "pg-load",
                            "skip-lucene"));
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("unknown options: " + values.keySet());
            }
            return o;
        }

        private static boolean pgLoad(String value) {
            return switch (value) {
                case "bulk" -> true;
                case "graph" -> false;
                default -> throw new IllegalArgumentException("pg-load must be bulk or graph; pg-load=" + value);
            };
        }

        private static int intOption(Map<String, String> values, String name, int fallback) {
            String v = values.get(name);
            int value = v == null ? fallback : Integer.parseInt(v.replace("_", ""));
            if (value < (name.equals("segments") ? 0 : 1)) {
                throw new IllegalArgumentException(name + " must be positive; " + name + "=" + value);
            }
            return value;
        }
    }

    /** One row of the result table. */
    private record Row(
            String method, double buildSeconds, double mergeSeconds, double sizeMb, double qps, double recall) {}

    /**
     * Runs the benchmark and prints progress and a result table to standard output.
     *
     * @param args options, see the class documentation
     */
    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        System.out.printf(
                Locale.ROOT,
                "HNSW benchmark: n=%d dims=%d clusters=%d noise=%.3f queries=%d k=%d M=%d efConstruction=%d"
                        + " efSearch=%d seed=%d indexThreads=%d forceMerge=%s%n",
                o.n(),
                o.dims(),
                o.clusters(),
                o.noise(),
                o.queries(),
                o.k(),
                o.m(),
                o.beam(),
                o.ef(),
                o.seed(),
                o.threads(),
                o.segments() == 0 ? "no" : o.segments() + " segment(s)");
        System.out.printf(
                Locale.ROOT,
                "java %s, %d cores, max heap %d MB, dir %s%n",
                Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                o.dir());

        long t0 = System.nanoTime();
        Random random = new Random(o.seed());
        float[][] vectors;
        float[][] queries;
        if (o.seeds() != null) {
            float[][] seeds = readSeeds(o.seeds(), o.dims());
            if (o.real()) {
                // The real vectors themselves: a random few are the queries, the rest the index.
                List<float[]> shuffled = new ArrayList<>(java.util.Arrays.asList(seeds));
                java.util.Collections.shuffle(shuffled, random);
                queries = shuffled.subList(0, o.queries()).toArray(float[][]::new);
                vectors = shuffled.subList(o.queries(), shuffled.size()).toArray(float[][]::new);
                o = o.withN(vectors.length);
                System.out.printf(
                        Locale.ROOT,
                        "real vectors: %d indexed, %d held out as queries%n",
                        vectors.length,
                        queries.length);
            } else {
                // Around real embeddings: each vector is a random real one plus gaussian noise (--noise), so the
                // neighbourhoods have the shape real ones have, at any size.
                vectors = new float[o.n()][];
                for (int i = 0; i < o.n(); i++) {
                    vectors[i] = ClusteredVectors.jitter(seeds[random.nextInt(seeds.length)], o.noise(), random);
                }
                queries = new float[o.queries()][];
                for (int i = 0; i < o.queries(); i++) {
                    queries[i] = ClusteredVectors.jitter(seeds[random.nextInt(seeds.length)], o.noise(), random);
                }
                System.out.printf(
                        Locale.ROOT, "seeded by %d real vectors, noise %.3f per dimension%n", seeds.length, o.noise());
            }
        } else {
            ClusteredVectors generator = ClusteredVectors.of(o.dims(), o.clusters(), o.noise(), random);
            vectors = generator.next(o.n());
            queries = generator.next(o.queries());
        }
        System.out.printf(
                Locale.ROOT,
                "generated %d vectors and %d queries in %.1f s%n",
                vectors.length,
                queries.length,
                seconds(t0));

        List<Row> rows = new ArrayList<>();
        int[][] truth = new int[o.queries()][];
        for (int q = 0; q < Math.min(10, o.queries()); q++) {
            ExactSearch.topK(vectors, queries[q], o.k()); // warm-up for the JIT
        }
        t0 = System.nanoTime();
        for (int q = 0; q < o.queries(); q++) {
            truth[q] = ExactSearch.topK(vectors, queries[q], o.k());
        }
        double exactSeconds = seconds(t0);
        rows.add(new Row(
                "exact brute force",
                Double.NaN,
                Double.NaN,
                o.n() * (double) o.dims() * 4 / (1 << 20),
                o.queries() / exactSeconds,
                1.0));
        System.out.printf(Locale.ROOT, "exact: %d queries in %.1f s%n", o.queries(), exactSeconds);

        try {
            if (!o.skipLucene()) {
                for (VectorQuantization quantization : VectorQuantization.values()) {
                    rows.add(runHnsw(o, quantization, vectors, queries, truth));
                }
            }
            if (o.pgvector()) {
                rows.add(runPgvector(o, vectors, queries, truth));
            }
        } finally {
            if (!o.keep()) {
                // Only what this run created: a --dir given by the user may hold other things.
                for (VectorQuantization quantization : VectorQuantization.values()) {
                    deleteRecursively(indexDir(o, quantization));
                }
                if (o.tempDir()) {
                    Files.deleteIfExists(o.dir());
                }
            }
        }
        printTable(o, rows);
    }

    private static Row runHnsw(
            Options o, VectorQuantization quantization, float[][] vectors, float[][] queries, int[][] truth)
            throws Exception {
        String name = quantization == VectorQuantization.NONE ? "hnsw float32" : "hnsw int8";
        Path dir = indexDir(o, quantization);
        deleteRecursively(dir);
        Row row;
        try (LuceneHybridIndex index = LuceneHybridIndex.builder()
                .path(dir)
                .dimensions(o.dims())
                .quantization(quantization)
                .hnswM(o.m())
                .hnswBeamWidth(o.beam())
                .efSearch(o.ef())
                .build()) {
            System.out.printf(
                    Locale.ROOT,
                    "%s: indexing %d vectors in batches of %d on %d thread(s)%n",
                    name,
                    o.n(),
                    o.batch(),
                    o.threads());
            long t0 = System.nanoTime();
            index(index, vectors, o, name, t0);
            index.commit();
            double buildSeconds = seconds(t0);
            System.out.printf(Locale.ROOT, "%s: indexed and committed in %.1f s%n", name, buildSeconds);

            double mergeSeconds = Double.NaN;
            if (o.segments() > 0) {
                t0 = System.nanoTime();
                index.forceMerge(o.segments());
                index.commit();
                mergeSeconds = seconds(t0);
                System.out.printf(
                        Locale.ROOT, "%s: force-merged to %d segment(s) in %.1f s%n", name, o.segments(), mergeSeconds);
            }

            // Warm-up (JIT, page cache): at least WARMUP_SEARCHES, or short runs mostly time the interpreter.
            for (int i = 0; i < Math.max(WARMUP_SEARCHES, queries.length); i++) {
                search(index, queries[i % queries.length], o.k());
            }
            Measured measured = measure(index, queries, truth, o.k(), MIN_TIMED_SEARCHES);
            System.out.printf(
                    Locale.ROOT,
                    "%s: recall@%d %.4f; %d timed searches in %.2f s%n",
                    name,
                    o.k(),
                    measured.recall(),
                    measured.searches(),
                    measured.seconds());
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf(
                    Locale.ROOT,
                    "%s: heap in use %d MB (after a GC), process RSS %s%n",
                    name,
                    (rt.totalMemory() - rt.freeMemory()) >> 20,
                    rss());
            row = new Row(
                    name,
                    buildSeconds,
                    mergeSeconds,
                    directorySize(dir) / (double) (1 << 20),
                    measured.qps(),
                    measured.recall());
        }
        for (int ef : o.efs()) {
            try (LuceneHybridIndex index = LuceneHybridIndex.builder()
                    .path(dir)
                    .dimensions(o.dims())
                    .quantization(quantization)
                    .hnswM(o.m())
                    .hnswBeamWidth(o.beam())
                    .efSearch(ef)
                    .build()) {
                reportAtEf(name, ef, index, queries, truth, o.k(), WARMUP_SEARCHES);
            }
        }
        return row;
    }

    /** Recall of one pass, and single-threaded queries/s over whole passes of the queries; {@link #measure}. */
    private record Measured(double recall, int searches, double seconds) {
        double qps() {
            return searches / seconds;
        }
    }

    /**
     * Recall@k of one pass over the queries against the exact truth, then whole passes of the queries, at least
     * {@code minSearches} searches, timed on this thread.
     */
    private static Measured measure(VectorIndex index, float[][] queries, int[][] truth, int k, int minSearches) {
        double recallSum = 0;
        for (int q = 0; q < queries.length; q++) {
            recallSum += ExactSearch.recall(truth[q], search(index, queries[q], k));
        }
        int passes = (minSearches + queries.length - 1) / queries.length;
        long t0 = System.nanoTime();
        for (int pass = 0; pass < passes; pass++) {
            for (float[] query : queries) {
                search(index, query, k);
            }
        }
        return new Measured(recallSum / queries.length, passes * queries.length, seconds(t0));
    }

    /** One {@code --efs} line: {@code warmUp} untimed searches, then {@link #measure}. */
    private static void reportAtEf(
            String name, int ef, VectorIndex index, float[][] queries, int[][] truth, int k, int warmUp) {
        for (int i = 0; i < warmUp; i++) {
            search(index, queries[i % queries.length], k);
        }
        Measured atEf = measure(index, queries, truth, k, EF_TIMED_SEARCHES);
        System.out.printf(
                Locale.ROOT,
                "%s ef=%d: recall@%d %.4f, %.0f queries/s single-threaded%n",
                name,
                ef,
                k,
                atEf.recall(),
                atEf.qps());
    }

    /** Real vectors from files of big-endian float32 rows of {@code dims} (the evaluation's vector cache). */
    private static float[][] readSeeds(String files, int dims) throws IOException {
        List<float[]> out = new ArrayList<>();
        for (String f : files.split(",")) {
            java.nio.FloatBuffer floats = java.nio.ByteBuffer.wrap(Files.readAllBytes(Path.of(f.strip())))
                    .asFloatBuffer();
            if (floats.remaining() % dims != 0) {
                throw new IOException(f + " does not hold rows of " + dims + " floats");
            }
            while (floats.hasRemaining()) {
                float[] v = new float[dims];
                floats.get(v);
                out.add(ClusteredVectors.normalise(v));
            }
        }
        return out.toArray(float[][]::new);
    }

    private static String rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return line.substring(6).strip();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "?";
    }

    /**
     * The same vectors in PostgreSQL + pgvector: the server given by {@code --pg-url}, or with {@code --pgvector}
     * alone the WebAssembly build (pglite), which runs queries one at a time in a single-threaded WASM engine
     * and so says nothing about native pgvector speed. With {@code --pg-n} smaller than {@code --n}, only the
     * first pg-n vectors are loaded, and recall is measured against exact search over those.
     */
    private static Row runPgvector(Options o, float[][] all, float[][] queries, int[][] fullTruth) throws Exception {
        int n = Math.min(o.pgN(), all.length);
        float[][] vectors = n == all.length ? all : java.util.Arrays.copyOf(all, n);
        int[][] truth = fullTruth;
        if (n != all.length) {
            truth = new int[queries.length][];
            for (int q = 0; q < queries.length; q++) {
                truth[q] = ExactSearch.topK(vectors, queries[q], o.k());
            }
        }
        PgliteServer pglite = o.pgUrl() == null ? PgliteServer.start(PgliteServer.defaultPackageDir(), null, 4) : null;
        String url = pglite != null ? pglite.jdbcUrl() : o.pgUrl();
        String name = pglite != null ? "pgvector (pglite)" : "pgvector";
        // One connection for the whole run, as a server's pool keeps them: a connection per search would time
        // PostgreSQL's start of a backend process, not the search.
        org.postgresql.ds.PGConnectionPoolDataSource pooled = new org.postgresql.ds.PGConnectionPoolDataSource();
        pooled.setUrl(url);
        pooled.setUser(o.pgUser());
        pooled.setPassword(o.pgPassword());
        javax.sql.PooledConnection connection = null;
        try {
            connection = pooled.getPooledConnection();
            javax.sql.DataSource ds = new OneConnection(connection);
            String table = "omnirag_bench_" + Math.abs(o.seed() % 100_000);
            try (java.sql.Connection c = ds.getConnection();
                    java.sql.Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + table);
                System.out.printf(Locale.ROOT, "%s: %s%n", name, serverSettings(st));
            }
            PgVectorIndex index = pgIndex(o, ds, table, o.ef());
            long t0 = System.nanoTime();
            if (o.pgBulk()) {
                index.dropVectorIndexes();
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s: inserting %d vectors into %s (%s)%n",
                    name,
                    n,
                    table,
                    o.pgBulk() ? "the HNSW graph built after the rows" : "the HNSW graph maintained while inserting");
            int batch = 1000;
            for (int from = 0; from < n; from += batch) {
                List<IndexedChunk> chunks = new ArrayList<>(batch);
                for (int i = from; i < Math.min(n, from + batch); i++) {
                    chunks.add(new IndexedChunk("v" + i, "d" + i, null, null, "", vectors[i], null, null));
                }
                index.upsert(chunks);
                int done = Math.min(n, from + batch);
                if (done % Math.max(10_000, n / 20 / batch * batch) == 0 || done == n) {
                    System.out.printf(Locale.ROOT, "%s: %,d / %,d inserted (%.1f s)%n", name, done, n, seconds(t0));
                }
            }
            double loadSeconds = seconds(t0);
            double graphSeconds = Double.NaN;
            if (o.pgBulk()) {
                long t1 = System.nanoTime();
                index.buildVectorIndexes();
                graphSeconds = seconds(t1);
                System.out.printf(Locale.ROOT, "%s: HNSW graph built in %.1f s%n", name, graphSeconds);
            }
            double buildSeconds = seconds(t0);
            index.analyze();
            for (int i = 0; i < Math.min(WARMUP_SEARCHES, 5 * queries.length); i++) {
                search(index, queries[i % queries.length], o.k());
            }
            Measured measured = measure(index, queries, truth, o.k(), EF_TIMED_SEARCHES);
            System.out.printf(
                    Locale.ROOT,
                    "%s: recall@%d %.4f; %d timed searches in %.2f s (load %.1f s, graph %.1f s)%n",
                    name,
                    o.k(),
                    measured.recall(),
                    measured.searches(),
                    measured.seconds(),
                    loadSeconds,
                    graphSeconds);
            for (int ef : o.efs()) {
                reportAtEf(name, ef, pgIndex(o, ds, table, ef), queries, truth, o.k(), 2 * queries.length);
            }
            double sizeMb;
            try (java.sql.Connection c = ds.getConnection();
                    java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery(
                            "SELECT pg_total_relation_size('" + table + "'), pg_relation_size('" + table + "_hnsw')")) {
                rs.next();
                sizeMb = rs.getLong(1) / (double) (1 << 20);
                System.out.printf(
                        Locale.ROOT,
                        "%s: table with its indexes %.0f MB, of which the HNSW graph %.0f MB%n",
                        name,
                        sizeMb,
                        rs.getLong(2) / (double) (1 << 20));
            }
            if (!o.keep()) {
                index.drop();
            }
            String label = n == all.length ? name : name + " n=" + n;
            return new Row(label, loadSeconds, graphSeconds, sizeMb, measured.qps(), measured.recall());
        } finally {
            if (connection != null) {
                connection.close();
            }
            if (pglite != null) {
                pglite.close();
            }
        }
    }

    private static PgVectorIndex pgIndex(Options o, javax.sql.DataSource ds, String table, int ef) {
        return PgVectorIndex.builder()
                .dataSource(ds)
                .table(table)
                .dimensions(o.dims())
                .hnswM(o.m())
                .efConstruction(Math.max(o.beam(), 2 * o.m()))
                .efSearch(Math.min(1000, ef))
                .build();
    }

    /** The PostgreSQL settings an HNSW build and search depend on, for the record. */
    private static String serverSettings(java.sql.Statement st) throws java.sql.SQLException {
        List<String> settings = new ArrayList<>();
        try (java.sql.ResultSet rs =
                st.executeQuery("SELECT name, current_setting(name) FROM pg_settings WHERE name IN "
                        + "('server_version', 'shared_buffers', 'maintenance_work_mem', 'max_parallel_maintenance_workers',"
                        + " 'max_parallel_workers', 'work_mem') ORDER BY name")) {
            while (rs.next()) {
                settings.add(rs.getString(1) + "=" + rs.getString(2));
            }
        }
        try (java.sql.ResultSet rs = st.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
            settings.add("pgvector=" + (rs.next() ? rs.getString(1) : "not yet created"));
        }
        return String.join(", ", settings);
    }

    /**
     * A data source over one pooled connection (pgjdbc's own pooling: closing a handle keeps the connection open),
     * for this single-threaded benchmark.
     */
    private record OneConnection(javax.sql.PooledConnection pooled) implements javax.sql.DataSource {

        @Override
        public java.sql.Connection getConnection() throws java.sql.SQLException {
            return pooled.getConnection();
        }

        @Override
        public java.sql.Connection getConnection(String user, String password) throws java.sql.SQLException {
            return pooled.getConnection();
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws java.sql.SQLException {
            throw new java.sql.SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    private static void index(LuceneHybridIndex index, float[][] vectors, Options o, String name, long t0)
            throws InterruptedException, ExecutionException {
        AtomicInteger done = new AtomicInteger();
        int progressEvery = Math.max(o.batch(), o.n() / 10);
        ExecutorService pool = Executors.newFixedThreadPool(o.threads());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int start = 0; start < vectors.length; start += o.batch()) {
                int from = start;
                int to = Math.min(vectors.length, start + o.batch());
                futures.add(pool.submit(() -> {
                    List<IndexedChunk> batch = new ArrayList<>(to - from);
                    for (int i = from; i < to; i++) {
                        batch.add(new IndexedChunk(
                                "v" + i,
                                "doc" + (i / 100),
                                "bench.txt",
                                "text/plain",
                                "",
                                vectors[i],
                                Locator.NONE,
                                Map.of()));
                    }
                    index.upsert(batch);
                    int total = done.addAndGet(to - from);
                    if (total / progressEvery != (total - (to - from)) / progressEvery || total == vectors.length) {
                        System.out.printf(
                                Locale.ROOT,
                                "%s: %,d / %,d indexed (%.1f s)%n",
                                name,
                                total,
                                vectors.length,
                                seconds(t0));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static Path indexDir(Options o, VectorQuantization quantization) {
        return o.dir().resolve("hnsw-" + quantization.name().toLowerCase(Locale.ROOT));
    }

    private static int[] search(VectorIndex index, float[] query, int k) {
        List<SearchHit> hits = index.search(SearchRequest.of(null, query, k, SearchMode.VECTOR));
        int[] ids = new int[hits.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Integer.parseInt(hits.get(i).chunkId().substring(1));
        }
        return ids;
    }

    private static void printTable(Options o, List<Row> rows) {
        double exactQps = rows.get(0).qps();
        String format = "%-18s %9s %9s %9s %11s %10s %9s%n";
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                format,
                "method",
                "build s",
                "merge s",
                "size MB",
                "queries/s",
                "recall@" + o.k(),
                "speed-up");
        for (Row r : rows) {
            System.out.printf(
                    Locale.ROOT,
                    format,
                    r.method(),
                    fixed(r.buildSeconds(), 1),
                    fixed(r.mergeSeconds(), 1),
                    fixed(r.sizeMb(), 1),
                    fixed(r.qps(), 1),
                    fixed(r.recall(), 4),
                    fixed(r.qps() / exactQps, 1) + "x");
        }
        System.out.println("(queries single threaded; exact size = raw float32 vectors in memory; index size on"
                + " disk includes stored fields and, for int8, the float vectors kept for merging; pgvector: build s"
                + " is the rows' load, merge s the HNSW graph's build after them with --pg-load bulk, size the table"
                + " with all its indexes)");
    }

    private static String fixed(double value, int decimals) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
