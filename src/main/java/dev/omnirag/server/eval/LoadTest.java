package dev.omnirag.server.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A load test against a running server: N concurrent clients send Cranfield queries to search and ask for a
 * fixed time (and at most a fixed number of requests), then it prints requests, throughput, p50/p95/p99
 * latency per endpoint and errors by status. Loopback only: it refuses any URL whose host is not a loopback
 * address.
 *
 * <p>Run: {@code deploy/omnirag load --url http://127.0.0.1:8080 --collection cranfield --clients 50 --duration 60s
 * [--max-requests N] [--ask-ratio 0.2] [--k 10] [--seed S] [--key KEY | --admin-key-file PATH]
 * [--setup-cranfield] [--cranfield DIR] [--warm-up 15s] [--first-token]}. {@code --warm-up} runs the same load first,
 * uncounted. Before any run it waits until the server has made the sentence vectors of every chunk
 * ({@code omnirag.generator.sentence-vectors}), as it does when idle. With {@code --first-token} it measures, one question
 * at a time, the time to an ask's first streamed answer text against the search latency of the same question
 * instead of loading the server. With {@code --key} every request carries
 * {@code Authorization: Bearer KEY}; with {@code --admin-key-file} one read key per client is minted
 * ({@code POST /v1/keys}) and revoked at the end. {@code --setup-cranfield} creates the collection and uploads the
 * Cranfield documents that are missing, and waits for their ingestion, before the load starts.
 *
 * <p>Long because it is a whole command-line tool: options, key minting, the mixed and first-token runs and their
 * report.
 */
public final class LoadTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** Parsed command line; validated in the compact constructor. */
    record Options(
            URI url,
            String collection,
            int clients,
            Duration duration,
            long maxRequests,
            double askRatio,
            int k,
            long seed,
            String key,
            Path adminKeyFile,
            boolean setupCranfield,
            Path cranfield,
            boolean firstToken,
            Duration warmUp) {
        Options {
            if (warmUp.isNegative() || warmUp.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("warm-up must be in 0s..10m; warm-up=" + warmUp);
            }
            if (clients < 1 || clients > 1000) {
                throw new IllegalArgumentException("clients must be in 1..1000; clients=" + clients);
            }
            if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("duration must be in 1s..1h; duration=" + duration);
            }
            if (maxRequests < 1) {
                throw new IllegalArgumentException("max-requests must be >= 1; max-requests=" + maxRequests);
            }
            if (askRatio < 0 || askRatio > 1) {
                throw new IllegalArgumentException("ask-ratio must be in 0..1; ask-ratio=" + askRatio);
            }
            if (k < 1 || k > 100) {
                throw new IllegalArgumentException("k must be in 1..100; k=" + k);
            }
            if (collection == null || collection.isBlank()) {
                throw new IllegalArgumentException("collection is required (--collection NAME)");
            }
            if (key != null && adminKeyFile != null) {
                throw new IllegalArgumentException("give --key or --admin-key-file, not both");
            }
        }
    }

    /** Latencies and outcomes of one endpoint, shared by all clients. */
    static final class Stats {
        final String name;
        final List<long[]> perClient = new ArrayList<>();
        final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();

        Stats(String name) {
            this.name = name;
        }

        void outcome(String what) {
            outcomes.computeIfAbsent(what, w -> new AtomicLong()).incrementAndGet();
        }
    }

    private final Options options;
    private final HttpClient http;
    private final ServerClient server;

    LoadTest(Options options) {
        this.options = options;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.server = new ServerClient(options.url(), null, REQUEST_TIMEOUT);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
            requireLoopback(options.url());
        } catch (IllegalArgumentException e) {
            System.err.println("load: " + e.getMessage());
            System.exit(2);
            return;
        }
        int status;
        try {
            status = new LoadTest(options).run();
        } catch (java.net.ConnectException e) {
            System.err.println("load: cannot connect to " + options.url() + " (is the server running?)");
            status = 2;
        } catch (IOException e) {
            System.err.println("load: " + e.getMessage());
            status = 2;
        }
        System.exit(status);
    }

    int run() throws Exception {
        Path cranfield =
                options.cranfield() != null ? options.cranfield() : CranfieldEvaluation.findShared("corpora/cranfield");
        List<String> queries = new ArrayList<>(
                CranfieldEvaluation.parse(cranfield.resolve("cran.qry"), false).values());
        List<String> keys = new ArrayList<>();
        List<String> minted = new ArrayList<>();
        String adminKey = options.adminKeyFile() == null
                ? null
                : Files.readString(options.adminKeyFile()).strip();
        String collectionId = collectionId(adminKey != null ? adminKey : options.key());
        if (collectionId == null) {
            if (!options.setupCranfield()) {
                System.err.println("load: no collection '" + options.collection() + "' at " + options.url()
                        + "; create it, or pass --setup-cranfield");
                return 2;
            }
            collectionId = createCollection(adminKey != null ? adminKey : options.key());
        }
        if (options.setupCranfield()) {
            setupCranfield(collectionId, cranfield, adminKey != null ? adminKey : options.key());
        }
        server.awaitSentenceVectors(adminKey != null ? adminKey : options.key());
        try {
            if (adminKey != null) {
                for (int i = 0; i < options.clients(); i++) {
                    JsonNode key = send(
                            "POST",
                            "/v1/keys",
                            adminKey,
                            Map.of(
                                    "name",
                                    "load-" + i,
                                    "grants",
                                    List.of(Map.of("collection", options.collection(), "role", "read"))),
                            201);
                    minted.add(key.get("id").asText());
                    keys.add(key.get("key").asText());
                }
                System.out.printf("minted %d read keys%n", keys.size());
            }
            if (options.firstToken()) {
                return firstToken(collectionId, queries, keys.isEmpty() ? options.key() : keys.getFirst());
            }
            return load(collectionId, queries, keys);
        } finally {
            for (String id : minted) {
                try {
                    send("DELETE", "/v1/keys/" + id, adminKey, null, 204);
                } catch (Exception e) {
                    System.err.println("load: could not revoke key " + id + ": " + e.getMessage());
                }
            }
            if (!minted.isEmpty()) {
                System.out.printf("revoked %d read keys%n", minted.size());
            }
        }
    }

    private int load(String collectionId, List<String> queries, List<String> keys) throws InterruptedException {
        if (!options.warmUp().isZero()) {
            // The same load, not counted: the first seconds of a started server pay for JIT compilation and the
            // first embedding of every question.
            long warmStart = System.nanoTime();
            AtomicLong warmIssued = new AtomicLong();
            runClients(
                    collectionId,
                    queries,
                    keys,
                    warmIssued,
                    warmStart + options.warmUp().toNanos(),
                    new Stats("search"),
                    new Stats("ask"));
            System.out.printf(
                    "warm-up: %d requests in %.1f s, not counted%n",
                    warmIssued.get(), (System.nanoTime() - warmStart) / 1e9);
        }
        Stats search = new Stats("search");
        Stats ask = new Stats("ask");
        AtomicLong issued = new AtomicLong();
        long start = System.nanoTime();
        long end = start + options.duration().toNanos();
        System.out.printf(
                "load: %d clients for %d s (at most %d requests), ask ratio %.2f, k=%d, %d Cranfield queries, "
                        + "seed %d, collection %s (%s) at %s%n",
                options.clients(),
                options.duration().toSeconds(),
                options.maxRequests(),
                options.askRatio(),
                options.k(),
                queries.size(),
                options.seed(),
                options.collection(),
                collectionId,
                options.url());
        List<List<long[]>> latencies = runClients(collectionId, queries, keys, issued, end, search, ask);
        List<long[]> searchLatencies = latencies.get(0);
        List<long[]> askLatencies = latencies.get(1);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%nran %.1f s; %s%n", seconds, OffsetDateTime.now());
        System.out.printf(
                "%-8s %9s %9s %9s %9s %9s %9s %9s%n",
                "endpoint", "requests", "ok", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms");
        long[] s = merge(searchLatencies);
        long[] a = merge(askLatencies);
        long[] all = merge(List.of(s, a));
        row("search", s, search, seconds);
        row("ask", a, ask, seconds);
        Stats total = new Stats("all");
        for (Stats st : List.of(search, ask)) {
            st.outcomes.forEach((k, v) ->
                    total.outcomes.computeIfAbsent(k, x -> new AtomicLong()).addAndGet(v.get()));
        }
        row("all", all, total, seconds);
        long errors = 0;
        for (Stats st : List.of(search, ask)) {
            Map<String, Long> bad = new TreeMap<>();
            st.outcomes.forEach((k, v) -> {
                if (!k.equals("200")) {
                    bad.put(k, v.get());
                }
            });
            errors += bad.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("errors %-6s %s%n", st.name, bad.isEmpty() ? "none" : bad);
        }
        return errors == 0 ? 0 : 1;
    }

    /** Runs the clients until {@code end}; returns the search and ask latencies (µs), one array per client. */
    private List<List<long[]>> runClients(
            String collectionId,
            List<String> queries,
            List<String> keys,
            AtomicLong issued,
            long end,
            Stats search,
            Stats ask)
            throws InterruptedException {
        List<long[]> searchLatencies = new ArrayList<>();
        List<long[]> askLatencies = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<long[][]>> futures = new ArrayList<>();
            for (int c = 0; c < options.clients(); c++) {
                int client = c;
                String key = keys.isEmpty() ? options.key() : keys.get(client);
                futures.add(pool.submit(() -> client(client, key, collectionId, queries, issued, end, search, ask)));
            }
            for (var f : futures) {
                try {
                    long[][] r = f.get();
                    searchLatencies.add(r[0]);
                    askLatencies.add(r[1]);
                } catch (java.util.concurrent.ExecutionException e) {
                    System.err.println("load: a client failed: " + e.getCause());
                }
            }
        }
        return List.of(searchLatencies, askLatencies);
    }

    /**
     * Time to the first answer text against search: for each Cranfield question in turn (one client, nothing else
     * running), a streamed ask timed to its first {@code delta} event and to its end, and a hybrid search
     * ({@code k}) of the same question. The server keeps recent query vectors, so whichever of the two comes second
     * finds the question's vector made: the order alternates (odd questions ask first, even ones search first) and
     * the report compares all requests, the new questions only (each endpoint's requests that came first for their
     * question: both cold, the case of a question never seen), and the ask-first half (ask cold, search warm: errs
     * against the ask). Prints p50 and p95 of each and the ratios first-delta / search.
     */
    private int firstToken(String collectionId, List<String> queries, String key)
            throws IOException, InterruptedException {
        int n = (int) Math.min(options.maxRequests(), queries.size());
        System.out.printf(
                "first token: %d Cranfield questions, one at a time, collection %s (%s) at %s%n",
                n, options.collection(), collectionId, options.url());
        String base = "/v1/collections/" + collectionId;
        for (int i = 0; i < Math.min(3, n); i++) {
            // Warm-up: the first requests pay for class loading and JIT compilation.
            send("POST", base + "/search", key, Map.of("query", queries.get(i), "k", options.k()), 200);
            send("POST", base + "/ask", key, Map.of("question", queries.get(i)), 200);
        }
        long[] search = new long[n];
        long[] first = new long[n];
        long[] whole = new long[n];
        int[] errors = {0};
        for (int i = 0; i < n; i++) {
            String q = queries.get(i);
            boolean askFirst = i % 2 == 0;
            if (askFirst) {
                timeAsk(base, key, q, i, first, whole, errors);
            }
            search[i] = timeSearch(base, key, q, errors);
            if (!askFirst) {
                timeAsk(base, key, q, i, first, whole, errors);
            }
        }
        System.out.printf("%-44s %9s %9s %6s%n", "", "p50 ms", "p95 ms", "n");
        report("search (hybrid), all", search, i -> true);
        report("ask: first delta, all", first, i -> true);
        report("ask: whole answer, all", whole, i -> true);
        report("search, new questions (search first)", search, i -> i % 2 == 1);
        report("ask: first delta, new questions (ask first)", first, i -> i % 2 == 0);
        report("search after the ask (warm)", search, i -> i % 2 == 0);
        ratio("first delta / search, all", first, i -> true, search, i -> true);
        ratio("first delta / search, new questions", first, i -> i % 2 == 0, search, i -> i % 2 == 1);
        ratio("first delta (cold) / search (warm), ask first", first, i -> i % 2 == 0, search, i -> i % 2 == 0);
        System.out.printf("errors %d%n", errors[0]);
        return errors[0] == 0 ? 0 : 1;
    }

    /**
     * A streamed ask on a connection of its own (the pooled client at times saw a kept-alive connection closed under
     * it, which curl and browsers do not; searches get one of their own too): µs to its first delta and to its end.
     */
    private void timeAsk(String base, String key, String q, int i, long[] first, long[] whole, int[] errors)
            throws IOException, InterruptedException {
        HttpClient own = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT)
                .build();
        HttpRequest ask = HttpRequest.newBuilder(
                        request("POST", base + "/ask", key, Map.of("question", q)), (name, value) -> true)
                .header("Accept", "text/event-stream")
                .build();
        long t1 = System.nanoTime();
        HttpResponse<java.io.InputStream> r = own.send(ask, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            errors[0]++;
        }
        long firstDelta = -1;
        boolean done = false;
        try (var lines = new java.io.BufferedReader(
                new java.io.InputStreamReader(r.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String event = line.replace(" ", "");
                if (firstDelta < 0 && event.equals("event:delta")) {
                    firstDelta = (System.nanoTime() - t1) / 1000;
                }
                done |= event.equals("event:done");
            }
        } catch (IOException e) {
            if (!done) {
                System.err.printf(
                        "first token: the answer stream of question %d broke off: %s%n", i + 1, e.getMessage());
                errors[0]++;
            }
        } finally {
            own.close();
        }
        whole[i] = (System.nanoTime() - t1) / 1000;
        first[i] = firstDelta < 0 ? whole[i] : firstDelta;
        if (firstDelta < 0) {
            errors[0]++;
        }
    }

    /** A hybrid search on a connection of its own; µs. */
    private long timeSearch(String base, String key, String q, int[] errors) throws IOException, InterruptedException {
        HttpClient own = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT)
                .build();
        try {
            long t0 = System.nanoTime();
            HttpResponse<String> found = own.send(
                    request("POST", base + "/search", key, Map.of("query", q, "k", options.k())),
                    HttpResponse.BodyHandlers.ofString());
            long took = (System.nanoTime() - t0) / 1000;
            if (found.statusCode() != 200) {
                errors[0]++;
            }
            return took;
        } finally {
            own.close();
        }
    }

    /** The values (µs) of the questions {@code which} selects, sorted. */
    private static long[] select(long[] values, java.util.function.IntPredicate which) {
        return java.util.stream.IntStream.range(0, values.length)
                .filter(which)
                .mapToLong(i -> values[i])
                .sorted()
                .toArray();
    }

    private static void report(String name, long[] values, java.util.function.IntPredicate which) {
        long[] v = select(values, which);
        System.out.printf(
                java.util.Locale.ROOT, "%-44s %9.1f %9.1f %6d%n", name, percentile(v, 50), percentile(v, 95), v.length);
    }

    private static void ratio(
            String name,
            long[] first,
            java.util.function.IntPredicate firstWhich,
            long[] search,
            java.util.function.IntPredicate searchWhich) {
        long[] f = select(first, firstWhich);
        long[] s = select(search, searchWhich);
        System.out.printf(
                java.util.Locale.ROOT,
                "%-44s p50 %.2f, p95 %.2f%n",
                name,
                percentile(f, 50) / percentile(s, 50),
                percentile(f, 95) / percentile(s, 95));
    }

    /** One client: requests back to back until the deadline or the request limit; returns its latencies (µs). */
    private long[][] client(
            int client,
            String key,
            String collectionId,
            List<String> queries,
            AtomicLong issued,
            long end,
            Stats search,
            Stats ask) {
        Random random = new Random(options.seed() + client);
        long[] searchLat = new long[1024];
        long[] askLat = new long[1024];
        int ns = 0;
        int na = 0;
        while (System.nanoTime() < end && issued.incrementAndGet() <= options.maxRequests()) {
            String q = queries.get(random.nextInt(queries.size()));
            boolean isAsk = random.nextDouble() < options.askRatio();
            Map<String, Object> body = isAsk
                    ? Map.of("question", q, "k", Math.min(options.k(), 20))
                    : Map.of("query", q, "k", options.k());
            String path = "/v1/collections/" + collectionId + (isAsk ? "/ask" : "/search");
            Stats stats = isAsk ? ask : search;
            long t0 = System.nanoTime();
            String outcome;
            try {
                HttpResponse<Void> r =
                        http.send(request("POST", path, key, body), HttpResponse.BodyHandlers.discarding());
                outcome = Integer.toString(r.statusCode());
            } catch (HttpTimeoutException e) {
                outcome = "timeout";
            } catch (IOException e) {
                // Which failure it was, so a run's error table says what to look into.
                String message = String.valueOf(e.getMessage());
                outcome = "io-error: " + (message.length() > 60 ? message.substring(0, 60) : message);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long micros = (System.nanoTime() - t0) / 1000;
            stats.outcome(outcome);
            if (isAsk) {
                if (na == askLat.length) {
                    askLat = Arrays.copyOf(askLat, na * 2);
                }
                askLat[na++] = micros;
            } else {
                if (ns == searchLat.length) {
                    searchLat = Arrays.copyOf(searchLat, ns * 2);
                }
                searchLat[ns++] = micros;
            }
        }
        return new long[][] {Arrays.copyOf(searchLat, ns), Arrays.copyOf(askLat, na)};
    }

    private static long[] merge(List<long[]> parts) {
        long[] out = parts.stream().flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(out);
        return out;
    }

    /** Nearest-rank percentile of sorted values, in ms. */
    static double percentile(long[] sortedMicros, double p) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedMicros.length);
        return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, rank - 1))] / 1000.0;
    }

    private static void row(String name, long[] lat, Stats stats, double seconds) {
        long ok = stats.outcomes.getOrDefault("200", new AtomicLong()).get();
        if (lat.length == 0) {
            // No requests of this kind (e.g. --ask-ratio 0): no latencies to show.
            System.out.printf("%-8s %9d %9d %9.1f %9s %9s %9s %9s%n", name, 0, ok, 0.0, "-", "-", "-", "-");
            return;
        }
        System.out.printf(
                "%-8s %9d %9d %9.1f %9.1f %9.1f %9.1f %9.1f%n",
                name,
                lat.length,
                ok,
                lat.length / seconds,
                percentile(lat, 50),
                percentile(lat, 95),
                percentile(lat, 99),
                lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1000.0);
    }

    // ---- setup ------------------------------------------------------------------------------------------

    private String collectionId(String key) throws IOException, InterruptedException {
        JsonNode list = send("GET", "/v1/collections", key, null, 200);
        for (JsonNode c : list.get("collections")) {
            if (c.get("name").asText().equals(options.collection())
                    || c.get("id").asText().equals(options.collection())) {
                return c.get("id").asText();
            }
        }
        return null;
    }

    private String createCollection(String key) throws IOException, InterruptedException {
        JsonNode created = send(
                "POST",
                "/v1/collections",
                key,
                Map.of("name", options.collection(), "description", "Cranfield aeronautics abstracts (load test)"),
                201);
        System.out.printf("created collection %s%n", options.collection());
        return created.get("id").asText();
    }

    /** Uploads the Cranfield documents the collection lacks (by file name) and waits until none is processing. */
    private void setupCranfield(String collectionId, Path cranfield, String key)
            throws IOException, InterruptedException {
        Map<String, String> docs = CranfieldEvaluation.parse(cranfield.resolve("cran.all.1400"), true);
        Set<String> present = new HashSet<>();
        for (JsonNode d : send("GET", "/v1/collections/" + collectionId + "/documents", key, null, 200)
                .get("documents")) {
            present.add(d.get("filename").asText());
        }
        int uploaded = 0;
        int empty = 0;
        for (Map.Entry<String, String> doc : docs.entrySet()) {
            String name = "cran-" + doc.getKey() + ".txt";
            if (doc.getValue().isBlank()) {
                empty++; // Cranfield has a few records without title or text; the server refuses empty files.
                continue;
            }
            if (present.contains(name)) {
                continue;
            }
            server.upload(
                    collectionId,
                    key,
                    List.of(new ServerClient.Upload(
                            name, "text/plain", doc.getValue().getBytes(StandardCharsets.UTF_8))));
            uploaded++;
        }
        System.out.printf(
                "Cranfield: %d documents (%d empty, skipped), %d already present, %d uploaded; waiting for "
                        + "ingestion%n",
                docs.size(), empty, present.size(), uploaded);
        long started = System.nanoTime();
        while (true) {
            int processing = 0;
            int failed = 0;
            int ready = 0;
            for (JsonNode d : send("GET", "/v1/collections/" + collectionId + "/documents", key, null, 200)
                    .get("documents")) {
                switch (d.get("status").asText()) {
                    case "ready" -> ready++;
                    case "failed" -> failed++;
                    default -> processing++;
                }
            }
            if (processing == 0) {
                System.out.printf(
                        "Cranfield: %d ready, %d failed (waited %d s)%n",
                        ready, failed, (System.nanoTime() - started) / 1_000_000_000L);
                return;
            }
            System.out.printf("  %d ready, %d processing, %d failed%n", ready, processing, failed);
            Thread.sleep(10_000);
        }
    }

    // ---- HTTP -------------------------------------------------------------------------------------------

    private HttpRequest request(String method, String path, String key, Object body) throws IOException {
        return server.request(method, path, key, body);
    }

    private JsonNode send(String method, String path, String key, Object body, int expected)
            throws IOException, InterruptedException {
        return server.send(method, path, key, body, expected);
    }

    /** Refuses URLs whose host does not resolve only to loopback addresses: the tool is not for other machines. */
    static void requireLoopback(URI url) {
        if (url.getHost() == null
                || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
            throw new IllegalArgumentException("url must be http(s)://HOST:PORT; url=" + url);
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(url.getHost())) {
                if (!a.isLoopbackAddress()) {
                    throw new IllegalArgumentException("url must point at this machine (loopback, e.g. 127.0.0.1); "
                            + url.getHost() + " resolves to " + a.getHostAddress());
                }
            }
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve the host of url " + url + ": " + e.getMessage());
        }
    }

    static Options parse(String[] args) {
        URI url = URI.create("http://127.0.0.1:8080");
        String collection = null;
        int clients = 50;
        Duration duration = Duration.ofSeconds(60);
        long maxRequests = 10_000_000;
        double askRatio = 0.2;
        int k = 10;
        long seed = 42;
        String key = null;
        Path adminKeyFile = null;
        boolean setup = false;
        boolean firstToken = false;
        Path cranfield = null;
        Duration warmUp = Duration.ZERO;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--setup-cranfield")) {
                setup = true;
                continue;
            }
            if (a.equals("--first-token")) {
                firstToken = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = args[++i];
            try {
                switch (a) {
                    case "--url" -> url = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
                    case "--collection" -> collection = v;
                    case "--clients" -> clients = Integer.parseInt(v);
                    case "--duration" -> duration = duration(v);
                    case "--warm-up" -> warmUp = duration(v);
                    case "--max-requests" -> maxRequests = Long.parseLong(v);
                    case "--ask-ratio" -> askRatio = Double.parseDouble(v);
                    case "--k" -> k = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--key" -> key = v;
                    case "--admin-key-file" -> adminKeyFile = Path.of(v);
                    case "--cranfield" -> cranfield = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(a + " needs a number; " + a + "=" + v);
            }
        }
        return new Options(
                url,
                collection,
                clients,
                duration,
                maxRequests,
                askRatio,
                k,
                seed,
                key,
                adminKeyFile,
                setup,
                cranfield,
                firstToken,
                warmUp);
    }

    /** {@code 60s}, {@code 2m}, {@code 1h}, {@code 500ms} or plain seconds. */
    static Duration duration(String v) {
        String s = v.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        if (s.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
        }
        if (s.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
        }
        if (s.endsWith("h")) {
            return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(s));
    }
}
