package dev.omnirag.server.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnirag.embeddings.OnnxTextEmbedder;
import dev.omnirag.server.db.ManagedPostgres;
import dev.omnirag.server.ingest.ChunkPlanner;
import dev.omnirag.server.ingest.Chunker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Ingestion throughput against the raw embedder, in one run on the same N documents: Cranfield's, NPL's, or
 * text PDFs ({@code --corpus pdf}: copies of the shared PDFs that have a real text layer; pages/s printed too).
 *
 * <ol>
 *   <li><b>raw</b>, in this process: chunk every document with the server's {@link Chunker} (300 tokens, 50
 *       overlap, the {@code omnirag.ingest.chunk-*} defaults) and embed all chunks, each as the server embeds it
 *       (under the document's title when it lacks it, {@link ChunkPlanner#embedded}), with bge-small-en-v1.5 int8
 *       ({@link OnnxTextEmbedder}) with the server's settings: {@code omnirag.embedder.batch-size} texts per ONNX
 *       call, {@code omnirag.ingest.embed-batch} chunks per {@code embedDocuments} call (across documents, as
 *       the server's worker makes them), and the same threads and parallel runs as the server ({@code --threads},
 *       {@code --parallel-runs}; unset, the embedder's defaults, which are the server's, and nothing is passed to
 *       the server, so a {@code --baseline-jar} build runs with its own defaults).</li>
 *   <li><b>server</b>: the packaged server ({@code src/target/quarkus-app/quarkus-run.jar}) started as its own
 *       process with a fresh home (embedded PostgreSQL, Lucene), authentication off on loopback; every document
 *       is uploaded through {@code POST /v1/collections/{id}/documents} back to back; the time runs from the first
 *       upload to the last document marked ready (the documents' {@code updatedAt}).</li>
 * </ol>
 *
 * The raw figure is measured while no server runs, once before and once after the server run; the ratio is the
 * server's docs/s over the mean of the two raw figures (the machine's load drifts; both are printed). Server
 * start-up is not timed. Extra server configuration: {@code --env KEY=VALUE} (repeatable), e.g.
 * {@code --env OMNIRAG_INGEST_WORKERS=2}.
 *
 * <p>Run: {@code deploy/omnirag ingest-bench [--n 300] [--threads T] [--parallel-runs R] [--env K=V]... [--cranfield DIR]
 * [--jar PATH] [--keep] [--files-per-request K] [--corpus cranfield|npl|pdf] [--archive]
 * [--baseline-jar PATH] [--rounds R] [--warm-up W]}; {@code --warm-up} documents (10 of Cranfield or NPL, 2 PDFs,
 * unless given) are ingested into another collection first, untimed, one upload each (one archive with
 * {@code --archive}), and the server makes their sentence vectors before the clock starts; {@code --archive} sends
 * all documents as one zip to the archive import; with
 * K &gt; 1 the files go K to a request (the several-file upload), otherwise one request each. With
 * {@code --baseline-jar} another build (e.g. an earlier commit's) ingests the same documents too, R rounds of both
 * builds back to back in alternating order, and the current build's throughput and server CPU are printed as ratios
 * to the baseline's: how much a change costs, in one run. Without it, R runs of the current build, and their median.
 *
 * <p>Long because it is a whole command-line tool: the raw run, the server process, three ways to send documents, and
 * the CPU report.
 */
public final class IngestBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_TOKENS = 300;
    private static final int CHUNK_OVERLAP = 50;
    private static final int EMBED_BATCH = 16;
    private static final int ONNX_BATCH = 1;
    private static final int WARMUP_DOCS = 10;

    /** Parsed command line; validated in the compact constructor. */
    record Options(
            int n,
            int threads,
            int parallelRuns,
            Map<String, String> env,
            Path cranfield,
            Path jar,
            boolean keep,
            int filesPerRequest,
            String corpus,
            boolean archive,
            Path baselineJar,
            int rounds,
            int warmUp) {
        Options {
            if (warmUp < -1 || warmUp > 20000) {
                throw new IllegalArgumentException("warm-up must be in 0..20000; warm-up=" + warmUp);
            }
            if (!corpus.equals("cranfield") && !corpus.equals("npl") && !corpus.equals("pdf")) {
                throw new IllegalArgumentException("corpus must be cranfield, npl or pdf; corpus=" + corpus);
            }
            if (rounds < 1 || rounds > 20) {
                throw new IllegalArgumentException("rounds must be in 1..20; rounds=" + rounds);
            }
            if (filesPerRequest < 1 || filesPerRequest > 1000) {
                throw new IllegalArgumentException(
                        "files-per-request must be in 1..1000; files-per-request=" + filesPerRequest);
            }
            if (n < 1 || n > 20000) {
                throw new IllegalArgumentException("n must be in 1..20000; n=" + n);
            }
            if (threads < 0 || threads > 256) {
                throw new IllegalArgumentException("threads must be in 1..256 (0: the default); threads=" + threads);
            }
            if (parallelRuns < 0 || parallelRuns > 256) {
                throw new IllegalArgumentException(
                        "parallel-runs must be in 1..256 (0: the default); parallel-runs=" + parallelRuns);
            }
            env = Map.copyOf(env);
        }
    }

    /**
     * A file to ingest: its upload name, bytes and type, its text for the raw run (a PDF's text layer) and its
     * pages (1 for plain text).
     */
    record Doc(String file, byte[] bytes, String contentType, String text, int pages) {
        static Doc text(String file, String text) {
            return new Doc(file, text.getBytes(StandardCharsets.UTF_8), "text/plain", text, 1);
        }
    }

    /** One server run: wall seconds from the first upload to the last document ready, pages, CPU of the server JVM. */
    record ServerRun(String build, int docs, int pages, double seconds, double cpuSeconds) {
        double docsPerSecond() {
            return docs / seconds;
        }

        double pagesPerSecond() {
            return pages / seconds;
        }
    }

    private final Options options;
    /** Documents outside the measured set that warm the server's model first, as the raw run warms its own. */
    private Map<String, Doc> warmup = Map.of();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    IngestBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ingest-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new IngestBenchmark(options).run());
    }

    int run() throws Exception {
        Map<String, Doc> docs = new LinkedHashMap<>();
        Map<String, Doc> warmup = new LinkedHashMap<>();
        if (options.corpus().equals("pdf")) {
            pdfs(docs, warmup);
        } else {
            texts(docs, warmup);
        }
        this.warmup = warmup;
        if (docs.size() < options.n()) {
            System.out.printf(
                    "ingest-bench: %s has %d non-empty documents besides the %d that warm up; using them all%n",
                    options.corpus(), docs.size(), warmup.size());
        }
        int pages = docs.values().stream().mapToInt(Doc::pages).sum();
        System.out.printf(
                "ingest-bench: %d " + options.corpus() + " documents (%d pages), embedder: %s, "
                        + "%d core(s), load average %s%n",
                docs.size(),
                pages,
                rawThreads() + " thread(s) x " + rawParallelRuns() + " parallel run(s)",
                Runtime.getRuntime().availableProcessors(),
                loadAverage());
        double raw1 = raw(docs);
        Path current = options.jar() != null ? options.jar() : Path.of("src/target/quarkus-app/quarkus-run.jar");
        List<ServerRun> runs = new ArrayList<>();
        for (int r = 0; r < options.rounds(); r++) {
            if (options.baselineJar() == null) {
                runs.add(server(docs, current, "current"));
                continue;
            }
            // ABBA: the order alternates so that a drift of the machine's load weighs on both builds alike.
            boolean baselineFirst = r % 2 == 0;
            runs.add(server(
                    docs, baselineFirst ? options.baselineJar() : current, baselineFirst ? "baseline" : "current"));
            runs.add(server(
                    docs, baselineFirst ? current : options.baselineJar(), baselineFirst ? "current" : "baseline"));
        }
        double raw2 = raw(docs);
        double rawMean = (raw1 + raw2) / 2;
        boolean paged = options.corpus().equals("pdf");
        System.out.printf("%n| run | build | s | docs/s |%s server CPU-s |%n", paged ? " pages/s |" : "");
        System.out.printf("| --- | --- | --- | --- |%s --- |%n", paged ? " --- |" : "");
        for (int i = 0; i < runs.size(); i++) {
            ServerRun run = runs.get(i);
            System.out.printf(
                    "| %d | %s | %.1f | %.2f |%s %.1f |%n",
                    i + 1,
                    run.build(),
                    run.seconds(),
                    run.docsPerSecond(),
                    paged ? String.format(" %.2f |", run.pagesPerSecond()) : "",
                    run.cpuSeconds());
        }
        System.out.printf("%nraw embedder  %7.2f docs/s (before %.2f, after %.2f)%n", rawMean, raw1, raw2);
        double server = median(runs, "current", ServerRun::docsPerSecond);
        System.out.printf(
                "server ingest %7.2f docs/s%s (median of %d run(s))%n",
                server,
                paged ? String.format(", %.2f pages/s", median(runs, "current", ServerRun::pagesPerSecond)) : "",
                options.rounds());
        System.out.printf("ratio         %7.3f  (server / raw; target >= 0.85)%n", server / rawMean);
        if (options.baselineJar() != null) {
            double baseline = median(runs, "baseline", ServerRun::docsPerSecond);
            double cpu = median(runs, "current", ServerRun::cpuSeconds);
            double baselineCpu = median(runs, "baseline", ServerRun::cpuSeconds);
            System.out.printf(
                    "baseline      %7.2f docs/s (median of %d run(s), %s)%n",
                    baseline, options.rounds(), options.baselineJar());
            System.out.printf(
                    "current / baseline: throughput %.3f (medians), %.3f (median of the rounds' ratios); "
                            + "server CPU-s %.3f (medians)%n",
                    server / baseline, medianPairedRatio(runs), cpu / baselineCpu);
        }
        System.out.printf("load average at the end %s; %s%n", loadAverage(), OffsetDateTime.now());
        return 0;
    }

    /** The first N non-empty, distinct documents of Cranfield or NPL, and the next ones to warm up with. */
    private void texts(Map<String, Doc> docs, Map<String, Doc> warmup) throws IOException {
        Map<String, String> corpus;
        if (options.corpus().equals("npl")) {
            corpus = TestCollection.read(CranfieldEvaluation.findShared("corpora/npl"), TestCollection.Format.TREC)
                    .documents();
        } else {
            Path dir = options.cranfield() != null
                    ? options.cranfield()
                    : CranfieldEvaluation.findShared("corpora/cranfield");
            corpus = CranfieldEvaluation.parse(dir.resolve("cran.all.1400"), true);
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Map.Entry<String, String> d : corpus.entrySet()) {
            if (d.getValue().isBlank() || !seen.add(d.getValue())) {
                // A few Cranfield records are empty (the server refuses empty files); NPL repeats a few texts (the
                // server keeps one document per content).
                continue;
            }
            Doc doc = Doc.text(options.corpus() + "-" + d.getKey() + ".txt", d.getValue());
            if (docs.size() < options.n()) {
                docs.put(d.getKey(), doc);
            } else if (warmup.size() < (options.warmUp() >= 0 ? options.warmUp() : WARMUP_DOCS)) {
                warmup.put(d.getKey(), doc);
            } else {
                break;
            }
        }
    }

    /**
     * N text PDFs: copies of the shared PDFs that have a real text layer ({@link #TEXT_PDFS}), taken in turn, each
     * made distinct by a trailing PDF comment (the server keeps one document per content); two more copies warm up.
     */
    private void pdfs(Map<String, Doc> docs, Map<String, Doc> warmup) throws IOException {
        Path dir = CranfieldEvaluation.findShared("media/pdf");
        List<Doc> originals = new ArrayList<>();
        for (String name : TEXT_PDFS) {
            byte[] bytes = Files.readAllBytes(dir.resolve(name));
            try (org.apache.pdfbox.pdmodel.PDDocument pdf = org.apache.pdfbox.Loader.loadPDF(bytes)) {
                String text = new org.apache.pdfbox.text.PDFTextStripper().getText(pdf);
                originals.add(new Doc(name, bytes, "application/pdf", text, pdf.getNumberOfPages()));
            }
        }
        int warmUps = options.warmUp() >= 0 ? options.warmUp() : 2;
        for (int i = 0; docs.size() < options.n() || warmup.size() < warmUps; i++) {
            Doc original = originals.get(i % originals.size());
            byte[] comment = ("\n% ingest-bench copy " + i + "\n").getBytes(StandardCharsets.US_ASCII);
            byte[] bytes = java.util.Arrays.copyOf(original.bytes(), original.bytes().length + comment.length);
            System.arraycopy(comment, 0, bytes, original.bytes().length, comment.length);
            String file = original.file().replace(".pdf", "-" + i + ".pdf");
            Doc copy = new Doc(file, bytes, original.contentType(), original.text(), original.pages());
            if (docs.size() < options.n()) {
                docs.put(file, copy);
            } else {
                warmup.put(file, copy);
            }
        }
    }

    /** The shared PDFs with a real text layer (TAMReview.pdf's is glyph garbage and is read by OCR). */
    static final List<String> TEXT_PDFS = List.of("tracemonkey.pdf", "prefilled_f1040.pdf");

    private static double median(List<ServerRun> runs, String build, java.util.function.ToDoubleFunction<ServerRun> f) {
        double[] v = runs.stream()
                .filter(r -> r.build().equals(build))
                .mapToDouble(f)
                .sorted()
                .toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The median over rounds of current docs/s over baseline docs/s (each round runs both, back to back). */
    private static double medianPairedRatio(List<ServerRun> runs) {
        List<ServerRun> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < runs.size(); i += 2) {
            ServerRun a = runs.get(i);
            ServerRun b = runs.get(i + 1);
            ServerRun current = a.build().equals("current") ? a : b;
            ServerRun baseline = a.build().equals("current") ? b : a;
            pairs.add(new ServerRun("ratio", 1, 1, 1, current.docsPerSecond() / baseline.docsPerSecond()));
        }
        return median(pairs, "ratio", ServerRun::cpuSeconds);
    }

    /** The raw run's embedder: the server's model and settings ({@code --threads}, {@code --parallel-runs}). */
    OnnxTextEmbedder.Builder rawEmbedder() {
        boolean spinWait = !"false".equalsIgnoreCase(options.env().getOrDefault("OMNIRAG_EMBEDDER_SPIN_WAIT", "true"));
        OnnxTextEmbedder.Builder builder =
                OnnxTextEmbedder.bgeSmallEnV15Builder().batchSize(ONNX_BATCH).spinWait(spinWait);
        return builder.threads(rawThreads()).parallelRuns(rawParallelRuns());
    }

    private int rawThreads() {
        return options.threads() > 0 ? options.threads() : 1;
    }

    private int rawParallelRuns() {
        return options.parallelRuns() > 0
                ? options.parallelRuns()
                : Math.max(1, Runtime.getRuntime().availableProcessors() / rawThreads());
    }

    /**
     * Chunks every document and embeds all chunks in this process, in calls of {@code EMBED_BATCH} chunks across
     * documents as the server's worker makes them; returns docs/s.
     */
    double raw(Map<String, Doc> docs) {
        try (OnnxTextEmbedder embedder = rawEmbedder().build()) {
            Chunker chunker = new Chunker(embedder::countTokens, CHUNK_TOKENS, CHUNK_OVERLAP);
            List<String> warm = new ArrayList<>();
            for (Doc doc : docs.values()) {
                if (warm.size() >= WARMUP_DOCS) {
                    break;
                }
                chunker.chunk(1, doc.text()).forEach(c -> warm.add(c.text()));
            }
            embedder.embedDocuments(warm);
            long start = System.nanoTime();
            long cpuStart = ownCpuNanos();
            long chunks = 0;
            List<String> call = new ArrayList<>(EMBED_BATCH);
            for (Doc doc : docs.values()) {
                // Each chunk as the server embeds it: under the document's title when it lacks it.
                String title = ChunkPlanner.title(doc.text());
                for (Chunker.Chunk part : chunker.chunk(1, doc.text())) {
                    call.add(ChunkPlanner.embedded(title, part.text()));
                    chunks++;
                    if (call.size() == EMBED_BATCH) {
                        embedder.embedDocuments(call);
                        call.clear();
                    }
                }
            }
            embedder.embedDocuments(call);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "raw: %d documents, %d chunks in %.1f s: %.2f docs/s, %.1f CPU-s (load average %s)%n",
                    docs.size(),
                    chunks,
                    seconds,
                    docs.size() / seconds,
                    (ownCpuNanos() - cpuStart) / 1e9,
                    loadAverage());
            return docs.size() / seconds;
        }
    }

    /** Starts the packaged server {@code jar}, uploads every document, waits until all are ready. */
    ServerRun server(Map<String, Doc> docs, Path jar, String build) throws Exception {
        Path home = Files.createTempDirectory("omnirag-ingest-bench-");
        Map<String, String> env = new java.util.HashMap<>(options.env());
        if (options.threads() > 0) {
            env.putIfAbsent("OMNIRAG_EMBEDDER_THREADS", Integer.toString(options.threads()));
        }
        if (options.parallelRuns() > 0) {
            env.putIfAbsent("OMNIRAG_EMBEDDER_PARALLEL_RUNS", Integer.toString(options.parallelRuns()));
        }
        ServerProcess server = null;
        try {
            server = ServerProcess.start(jar, home, env, Duration.ofMinutes(3));
            Process process = server.process();
            Path log = server.log();
            URI base = server.base();
            ServerClient client = new ServerClient(base, null, Duration.ofSeconds(120));
            System.out.printf(
                    "server (%s, %s): started on %s (home %s)%s%n",
                    build, jar, base, home, options.env().isEmpty() ? "" : " with " + options.env());
            String warm = client.send(
                            "POST",
                            "/v1/collections",
                            Map.of(
                                    "name",
                                    "ingest-bench-warmup",
                                    "description",
                                    "warms the model before the timed run"),
                            201)
                    .get("id")
                    .asText();
            if (options.archive() && !warmup.isEmpty()) {
                // The same way as the measured files: the archive import's own code is warmed too.
                importArchive(client, base, warm, warmup, home, false);
            } else {
                for (Doc doc : warmup.values()) {
                    upload(
                            client,
                            warm,
                            List.of(new Doc(
                                    "warm-" + doc.file(), doc.bytes(), doc.contentType(), doc.text(), doc.pages())));
                }
            }
            awaitAllReady(client, warm, warmup.size(), process, log);
            // The warm-up's chunks get their sentence vectors while the server is idle: before the clock starts.
            client.awaitSentenceVectors(null);
            String collection = client.send(
                            "POST",
                            "/v1/collections",
                            Map.of("name", "ingest-bench", "description", "Cranfield (ingestion benchmark)"),
                            201)
                    .get("id")
                    .asText();
            long startMillis = System.currentTimeMillis();
            long start = System.nanoTime();
            double[] cpuStart = cpuSeconds(process, home);
            Map<String, Double> threadsStart = threadCpu(process.pid());
            if (options.archive()) {
                importArchive(client, base, collection, docs, home, true);
            } else {
                List<Doc> files = new ArrayList<>();
                for (Doc doc : docs.values()) {
                    files.add(doc);
                    if (files.size() == options.filesPerRequest()) {
                        upload(client, collection, files);
                        files.clear();
                    }
                }
                if (!files.isEmpty()) {
                    upload(client, collection, files);
                }
                double uploadSeconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                        "server: %d files uploaded in %.1f s (%.1f files/s, %d per request)%n",
                        docs.size(), uploadSeconds, docs.size() / uploadSeconds, options.filesPerRequest());
            }
            while (true) {
                if (!settled(client, collection, docs.size())) {
                    if (!process.isAlive()) {
                        throw new IOException("the server exited; see " + log);
                    }
                    Thread.sleep(1000);
                    continue;
                }
                List<JsonNode> list = new ArrayList<>();
                client.send("GET", "/v1/collections/" + collection + "/documents", null, 200)
                        .get("documents")
                        .forEach(list::add);
                long ready = list.stream()
                        .filter(d -> d.get("status").asText().equals("ready"))
                        .count();
                long failed = list.stream()
                        .filter(d -> d.get("status").asText().equals("failed"))
                        .count();
                if (failed > 0) {
                    throw new IOException(failed + " document(s) failed; see " + log);
                }
                if (ready == docs.size()) {
                    long last = list.stream()
                            .map(d -> OffsetDateTime.parse(d.get("updatedAt").asText()))
                            .max(Comparator.naturalOrder())
                            .orElseThrow()
                            .toInstant()
                            .toEpochMilli();
                    long chunks = list.stream()
                            .mapToLong(d -> d.get("chunkCount").asLong())
                            .sum();
                    double seconds = (last - startMillis) / 1000.0;
                    double[] cpu = cpuSeconds(process, home);
                    int pages = docs.values().stream().mapToInt(Doc::pages).sum();
                    System.out.printf(
                            "server: CPU while ingesting (and polling): server JVM %.1f s, its PostgreSQL %.1f s%n",
                            cpu[0] - cpuStart[0], cpu[1] - cpuStart[1]);
                    Map<String, Double> threads = threadCpu(process.pid());
                    threadsStart.forEach((k, v) -> threads.merge(k, -v, Double::sum));
                    System.out.println("server: CPU seconds by thread (group): "
                            + threads.entrySet().stream()
                                    .filter(e -> e.getValue() >= 0.05)
                                    .sorted(Map.Entry.<String, Double>comparingByValue()
                                            .reversed())
                                    .map(e -> String.format("%s %.1f", e.getKey(), e.getValue()))
                                    .collect(Collectors.joining(", ")));
                    System.out.printf(
                            "server: %d documents (%d pages), %d chunks ready in %.1f s from the first "
                                    + "upload: %.2f docs/s, %.2f pages/s (load average %s)%n",
                            docs.size(), pages, chunks, seconds, docs.size() / seconds, pages / seconds, loadAverage());
                    return new ServerRun(build, docs.size(), pages, seconds, cpu[0] - cpuStart[0]);
                }
                if (!process.isAlive()) {
                    throw new IOException("the server exited; see " + log);
                }
                Thread.sleep(1000);
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (options.keep()) {
                System.out.printf("server: stopped; home kept at %s%n", home);
            } else {
                deleteHome(home);
            }
        }
    }

    /**
     * Whether every document of the collection is ready or one failed, from the collection's counts (the server does
     * not list thousands of documents every second while it is being measured); a build without counts is asked
     * for the list.
     */
    private static boolean settled(ServerClient client, String collection, int n)
            throws IOException, InterruptedException {
        JsonNode counts =
                client.send("GET", "/v1/collections/" + collection, null, 200).get("documents");
        return counts == null
                || counts.get("ready").asLong() == n
                || counts.get("failed").asLong() > 0;
    }

    private void awaitAllReady(ServerClient client, String collection, int n, Process process, Path log)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (!settled(client, collection, n)) {
                if (!process.isAlive()) {
                    throw new IOException("the server exited; see " + log);
                }
                Thread.sleep(200);
                continue;
            }
            long ready = 0;
            for (JsonNode d : client.send("GET", "/v1/collections/" + collection + "/documents", null, 200)
                    .get("documents")) {
                ready += d.get("status").asText().equals("ready") ? 1 : 0;
            }
            if (ready == n) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException("the server exited; see " + log);
            }
            Thread.sleep(200);
        }
        throw new IOException("the warm-up documents were not ready in 5 minutes; see " + log);
    }

    /**
     * Sends every document as one zip archive to {@code POST /v1/collections/{id}/imports} and waits until the import
     * is done. Writing the zip is timed too (it is part of what the client does; small next to ingesting). The
     * warm-up's archive ({@code measured} false) prints nothing.
     */
    private void importArchive(
            ServerClient client, URI base, String collection, Map<String, Doc> docs, Path home, boolean measured)
            throws Exception {
        Path zip = home.resolve(measured ? "corpus.zip" : "warm-up.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (Doc doc : docs.values()) {
                out.putNextEntry(new java.util.zip.ZipEntry(options.corpus() + "/" + doc.file()));
                out.write(doc.bytes());
                out.closeEntry();
            }
        }
        String boundary = "omnirag-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"corpus.zip\""
                        + "\r\nContent-Type: application/zip\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + (int) Files.size(zip) + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        byte[] bytes = Files.readAllBytes(zip);
        System.arraycopy(bytes, 0, body, head.length, bytes.length);
        System.arraycopy(tail, 0, body, head.length + bytes.length, tail.length);
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(base.resolve("/v1/collections/" + collection + "/imports"))
                        .timeout(Duration.ofSeconds(300))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IOException("the import gave " + r.statusCode() + ": " + r.body());
        }
        String id = JSON.readTree(r.body()).get("id").asText();
        while (true) {
            JsonNode view = client.send("GET", "/v1/imports/" + id, null, 200);
            String status = view.get("status").asText();
            if (status.equals("done") && !measured) {
                return;
            }
            if (status.equals("done")) {
                System.out.printf(
                        "server: import of %d files (%d bytes zipped) done: %s files, %s duplicates, %s "
                                + "skipped, %s docs/s by the import's own count%n",
                        docs.size(),
                        bytes.length,
                        view.get("files"),
                        view.get("duplicates"),
                        view.get("skipped"),
                        view.get("docsPerSecond"));
                return;
            }
            if (status.equals("failed") || status.equals("cancelled")) {
                throw new IOException("the import ended " + status + ": " + view);
            }
            Thread.sleep(500);
        }
    }

    /** Uploads {@code files} in one multipart request, one {@code file} part each. */
    private static void upload(ServerClient client, String collection, List<Doc> files)
            throws IOException, InterruptedException {
        client.upload(
                collection,
                files.stream()
                        .map(d -> new ServerClient.Upload(d.file(), d.contentType(), d.bytes()))
                        .toList());
    }

    /**
     * CPU seconds so far of each thread of process {@code pid}, summed by name with digits dropped (Linux /proc;
     * empty elsewhere): where the server's CPU goes besides the embedder.
     */
    private static Map<String, Double> threadCpu(long pid) {
        Map<String, Double> out = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "#");
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
                    out.merge(name, seconds, Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return out;
    }

    /** CPU seconds of the benchmark's own process so far. */
    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * CPU seconds so far of the server's JVM and of its PostgreSQL: the postmaster whose command line names the
     * server's {@code home} (pg_ctl detaches it from the JVM) and its backends.
     */
    private static double[] cpuSeconds(Process server, Path home) {
        double own = cpu(server.toHandle());
        String dir = home.toString();
        String fallback = ManagedPostgres.fallbackRoot(home.resolve("postgres")).toString();
        double postgres = ProcessHandle.allProcesses()
                .filter(h -> {
                    String line = h.info().commandLine().orElse("");
                    return line.contains(dir) || line.contains(fallback);
                })
                .filter(h -> h.pid() != server.pid())
                .flatMap(h -> java.util.stream.Stream.concat(java.util.stream.Stream.of(h), h.descendants()))
                .distinct()
                .mapToDouble(IngestBenchmark::cpu)
                .sum();
        return new double[] {own, postgres};
    }

    private static double cpu(ProcessHandle h) {
        return h.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.format(
                    "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /**
     * Deletes a server's home and the database it kept outside the home when it ran as root (see {@link
     * ManagedPostgres#fallbackRoot}).
     */
    static void deleteHome(Path home) throws IOException {
        deleteTree(home);
        deleteTree(ManagedPostgres.fallbackRoot(home.resolve("postgres")));
    }

    /** Deletes {@code root} and everything under it; nothing when it does not exist. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static Options parse(String[] args) {
        int n = 300;
        int threads = 0;
        int parallelRuns = 0;
        Map<String, String> env = new LinkedHashMap<>();
        Path cranfield = null;
        Path jar = null;
        boolean keep = false;
        int filesPerRequest = 1;
        String corpus = "cranfield";
        boolean archive = false;
        Path baselineJar = null;
        int rounds = 1;
        int warmUp = -1; // the corpus' default
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--keep")) {
                keep = true;
                continue;
            }
            if (a.equals("--archive")) {
                archive = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = args[++i];
            try {
                switch (a) {
                    case "--n" -> n = Integer.parseInt(v);
                    case "--threads" -> threads = Integer.parseInt(v);
                    case "--parallel-runs" -> parallelRuns = Integer.parseInt(v);
                    case "--cranfield" -> cranfield = Path.of(v);
                    case "--jar" -> jar = Path.of(v);
                    case "--files-per-request" -> filesPerRequest = Integer.parseInt(v);
                    case "--corpus" -> corpus = v;
                    case "--baseline-jar" -> baselineJar = Path.of(v);
                    case "--rounds" -> rounds = Integer.parseInt(v);
                    case "--warm-up" -> warmUp = Integer.parseInt(v);
                    case "--env" -> {
                        int eq = v.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("env must be KEY=VALUE; env=" + v);
                        }
                        env.put(v.substring(0, eq), v.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(a + " needs a number; " + a + "=" + v);
            }
        }
        return new Options(
                n,
                threads,
                parallelRuns,
                env,
                cranfield,
                jar,
                keep,
                filesPerRequest,
                corpus,
                archive,
                baselineJar,
                rounds,
                warmUp);
    }
}
