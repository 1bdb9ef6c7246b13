package dev.omnirag.server.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How well parsing serves questions: uploads a folder of documents to a running server (one new collection), waits
 * for them, then for each question of a questions file (see {@link ParsingDevSet#read}) searches ({@code k} 5) and
 * asks, and prints whether the right page is the first hit (page hit@1) or among the first five (hit@5), and whether
 * the answer (its text and quotes) holds every expected word; per question, per kind of file and overall.
 *
 * <p>Talks to the server only over its HTTP API, so the same command measures an older build (before) and this one
 * (after). Usage: {@code ParsingEvaluation --url http://127.0.0.1:8080 [--key KEY] [--folder DIR --questions FILE]};
 * without a folder it writes {@link ParsingDevSet} to a temporary folder and uses it. The server must be on this
 * machine (loopback), as for the load test.
 */
public final class ParsingEvaluation {

    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Duration INGEST_TIMEOUT = Duration.ofMinutes(20);

    private final ServerClient server;

    /** One question's outcome. */
    record Outcome(ParsingDevSet.Question question, int pageRank, boolean answered, String answer) {}

    ParsingEvaluation(URI url, String key) {
        this.server = new ServerClient(url, key, TIMEOUT);
    }

    public static void main(String[] args) throws Exception {
        URI url = URI.create("http://127.0.0.1:8080");
        String key = null;
        Path folder = null;
        Path questions = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = URI.create(args[++i]);
                case "--key" -> key = args[++i];
                case "--folder" -> folder = Path.of(args[++i]);
                case "--questions" -> questions = Path.of(args[++i]);
                default ->
                    throw new IllegalArgumentException("unknown option " + args[i]
                            + "; usage: --url URL [--key KEY] [--folder DIR --questions FILE]");
            }
        }
        LoadTest.requireLoopback(url);
        if (folder == null) {
            folder = Files.createTempDirectory("omnirag-parsing-devset");
            ParsingDevSet.write(
                    folder,
                    Path.of(System.getProperty("omnirag.shared", "../shared")).resolve("media"));
            System.out.println("[parse-eval] dev set written to " + folder);
        }
        if (questions == null) {
            questions = folder.resolve("questions.tsv");
        }
        List<Outcome> outcomes = new ParsingEvaluation(url, key).run(folder, ParsingDevSet.read(questions));
        print(outcomes);
    }

    List<Outcome> run(Path folder, List<ParsingDevSet.Question> questions) throws IOException, InterruptedException {
        String collection = send(
                        "POST", "/v1/collections", Map.of("name", "parsing-eval-" + System.currentTimeMillis()), 201)
                .get("id")
                .asText();
        List<Path> files;
        try (var list = Files.list(folder)) {
            files = list.filter(f -> !f.getFileName().toString().endsWith(".tsv"))
                    .sorted()
                    .toList();
        }
        long started = System.nanoTime();
        for (Path f : files) {
            upload(collection, f);
        }
        System.out.printf("[parse-eval] uploaded %d files; waiting for ingestion%n", files.size());
        long deadline = System.nanoTime() + INGEST_TIMEOUT.toNanos();
        while (true) {
            int processing = 0;
            StringBuilder failed = new StringBuilder();
            for (JsonNode d : send("GET", "/v1/collections/" + collection + "/documents", null, 200)
                    .get("documents")) {
                switch (d.get("status").asText()) {
                    case "ready" -> {}
                    case "failed" ->
                        failed.append("\n  failed: ")
                                .append(d.get("filename").asText())
                                .append(": ")
                                .append(d.path("error").asText(""));
                    default -> processing++;
                }
            }
            if (processing == 0) {
                System.out.printf("[parse-eval] ingested in %.1f s%s%n", (System.nanoTime() - started) / 1e9, failed);
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "ingestion did not finish in " + INGEST_TIMEOUT + "; " + processing + " still processing");
            }
            Thread.sleep(1000); // polling a remote server: nothing to wait on locally
        }
        List<Outcome> out = new ArrayList<>();
        for (ParsingDevSet.Question q : questions) {
            JsonNode results = send(
                            "POST",
                            "/v1/collections/" + collection + "/search",
                            Map.of("query", q.question(), "k", 5),
                            200)
                    .get("results");
            int rank = 0;
            for (int i = 0; i < results.size() && rank == 0; i++) {
                JsonNode r = results.get(i);
                int page = r.path("locator").path("page").asInt(1);
                if (r.get("filename").asText().equals(q.file())
                        && (q.pages().isEmpty() || q.pages().contains(page))) {
                    rank = i + 1;
                }
            }
            JsonNode ask =
                    send("POST", "/v1/collections/" + collection + "/ask", Map.of("question", q.question()), 200);
            StringBuilder said = new StringBuilder(ask.get("answer").asText());
            for (JsonNode c : ask.path("citations")) {
                said.append('\n').append(c.path("quote").asText());
            }
            String lower = said.toString().toLowerCase(Locale.ROOT);
            boolean answered = q.expected().stream().allMatch(w -> lower.contains(w.toLowerCase(Locale.ROOT)));
            out.add(new Outcome(q, rank, answered, ask.get("answer").asText()));
        }
        return out;
    }

    static void print(List<Outcome> outcomes) {
        System.out.println();
        System.out.printf("%-20s %-6s %-7s %s%n", "file", "rank", "answer", "question");
        for (Outcome o : outcomes) {
            System.out.printf(
                    "%-20s %-6s %-7s %s%n",
                    o.question().file(),
                    o.pageRank() == 0 ? "-" : o.pageRank(),
                    o.answered() ? "yes" : "no",
                    o.question().question());
            if (!o.answered()) {
                String a = o.answer().replaceAll("\\s+", " ");
                System.out.printf("%34s answer was: %s%n", "", a.length() > 160 ? a.substring(0, 160) + "…" : a);
            }
        }
        Map<String, List<Outcome>> byKind = new TreeMap<>();
        for (Outcome o : outcomes) {
            String f = o.question().file();
            byKind.computeIfAbsent(f.substring(f.lastIndexOf('.') + 1), k -> new ArrayList<>())
                    .add(o);
        }
        System.out.println();
        System.out.printf("%-8s %9s %12s %12s %12s%n", "kind", "questions", "page hit@1", "page hit@5", "answer holds");
        byKind.forEach((kind, list) -> row(kind, list));
        row("all", outcomes);
    }

    private static void row(String label, List<Outcome> list) {
        long at1 = list.stream().filter(o -> o.pageRank() == 1).count();
        long at5 = list.stream().filter(o -> o.pageRank() >= 1).count();
        long holds = list.stream().filter(Outcome::answered).count();
        System.out.printf(
                "%-8s %9d %12s %12s %12s%n",
                label, list.size(), share(at1, list.size()), share(at5, list.size()), share(holds, list.size()));
    }

    private static String share(long n, int of) {
        return String.format(Locale.ROOT, "%d (%.2f)", n, of == 0 ? 0.0 : (double) n / of);
    }

    /** Uploads one file; a file the server refuses (a type it does not read) is reported and its questions fail. */
    private void upload(String collection, Path file) throws IOException, InterruptedException {
        try {
            server.upload(
                    collection,
                    List.of(new ServerClient.Upload(
                            file.getFileName().toString(), "application/octet-stream", Files.readAllBytes(file))));
        } catch (IOException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("uploading ")) {
                throw e;
            }
            System.out.printf("[parse-eval] refused: %s%n", e.getMessage());
        }
    }

    private JsonNode send(String method, String path, Object body, int expected)
            throws IOException, InterruptedException {
        return server.send(method, path, body, expected);
    }
}
