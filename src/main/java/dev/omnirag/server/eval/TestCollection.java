package dev.omnirag.server.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test collection with judgements, read from one of three classic formats:
 * <ul>
 * <li>{@code cranfield}: {@code cran.all.1400} (documents: {@code .I}, {@code .T} title, {@code .W} text),
 * {@code cran.qry} (queries numbered by position, as the judgements number them), {@code cranqrel} ({@code query doc
 * grade}, grades 1 = most relevant .. 4, gain 5 - grade; -1 = not relevant);</li>
 * <li>{@code smart} (CACM, CISI, MED...): one {@code *.all} file of documents ({@code .I}; {@code .T} and {@code .W}
 * indexed, other fields ignored), {@code query.text} ({@code .I}, {@code .W}), {@code qrels.text} ({@code query doc
 * ...}, binary);</li>
 * <li>{@code trec} (NPL and any TREC-style set): {@code doc-text.trec} ({@code <DOC><DOCNO>id</DOCNO> text
 * </DOC>}), {@code query-text.trec} ({@code <top><num>id</num><title>text</title></top>}), {@code qrels} ({@code query
 * 0 doc relevance}).</li>
 * </ul>
 * A user can evaluate on their own judged queries by writing them in the trec format.
 *
 * @param name the collection's name in reports
 * @param documents document id to text, in file order
 * @param queries query id to text, in file order
 * @param judgements query id to (document id to gain); only queries with a positive gain are evaluated
 */
public record TestCollection(
        String name,
        Map<String, String> documents,
        Map<String, String> queries,
        Map<String, Map<String, Integer>> judgements) {

    /** The formats {@link #read} understands. */
    public enum Format {
        CRANFIELD,
        SMART,
        TREC
    }

    public TestCollection {
        // File order, never Map.copyOf's per-run order: indexing order decides ties and the vector cache key.
        documents = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(documents));
        queries = new LinkedHashMap<>(queries);
        judgements = Map.copyOf(judgements);
    }

    /** The queries that have at least one relevant document, in file order. */
    public Map<String, String> judgedQueries() {
        Map<String, String> out = new LinkedHashMap<>();
        queries.forEach((id, text) -> {
            Map<String, Integer> j = judgements.get(id);
            if (j != null && j.values().stream().anyMatch(g -> g > 0)) {
                out.put(id, text);
            }
        });
        return out;
    }

    /** Reads the collection in {@code dir}; its name is the folder's. */
    public static TestCollection read(Path dir, Format format) throws IOException {
        String name = dir.getFileName().toString();
        return switch (format) {
            case CRANFIELD ->
                new TestCollection(
                        name,
                        CranfieldEvaluation.parse(dir.resolve("cran.all.1400"), true),
                        positional(CranfieldEvaluation.parse(dir.resolve("cran.qry"), false)),
                        stringKeys(CranfieldEvaluation.qrels(dir.resolve("cranqrel"))));
            case SMART ->
                new TestCollection(
                        name,
                        smart(only(dir, ".all"), true),
                        smart(dir.resolve("query.text"), false),
                        binary(dir.resolve("qrels.text"), 0, 1));
            case TREC ->
                new TestCollection(
                        name,
                        trecDocuments(dir.resolve("doc-text.trec")),
                        trecQueries(dir.resolve("query-text.trec")),
                        binary(dir.resolve("qrels"), 0, 2));
        };
    }

    /** Cranfield's judgements number queries by position in the file, not by their {@code .I}. */
    private static Map<String, String> positional(Map<String, String> byFileId) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 1;
        for (String text : byFileId.values()) {
            out.put(Integer.toString(i++), text);
        }
        return out;
    }

    private static Map<String, Map<String, Integer>> stringKeys(Map<Integer, Map<String, Integer>> qrels) {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        qrels.forEach((q, docs) -> out.put(Integer.toString(q), docs));
        return out;
    }

    private static Path only(Path dir, String suffix) throws IOException {
        try (var files = Files.list(dir)) {
            List<Path> matches = files.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .toList();
            if (matches.size() != 1) {
                throw new IOException("expected one *" + suffix + " file in " + dir + "; found " + matches.size());
            }
            return matches.get(0);
        }
    }

    /** SMART records: {@code .I id}, then fields; {@code .T} and {@code .W} are kept (title first). */
    static Map<String, String> smart(Path file, boolean withTitle) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String id = null;
        String field = null;
        StringBuilder title = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(".I ")) {
                if (id != null) {
                    out.put(id, join(withTitle ? title : null, text));
                }
                id = normalise(line.substring(3));
                field = null;
                title.setLength(0);
                text.setLength(0);
            } else if (line.length() >= 2
                    && line.charAt(0) == '.'
                    && Character.isUpperCase(line.charAt(1))
                    && line.strip().length() == 2) {
                field = line.substring(1, 2);
            } else if ("T".equals(field)) {
                title.append(line).append('\n');
            } else if ("W".equals(field)) {
                text.append(line).append('\n');
            }
        }
        if (id != null) {
            out.put(id, join(withTitle ? title : null, text));
        }
        return out;
    }

    private static String join(StringBuilder title, StringBuilder text) {
        String body = text.toString().strip();
        if (title == null || title.toString().isBlank()) {
            return body;
        }
        String t = title.toString().strip();
        if (body.isEmpty()) {
            return t;
        }
        return t.endsWith(".") ? t + "\n" + body : t + ".\n" + body;
    }

    private static final Pattern DOC = Pattern.compile("(?s)<DOC>\\s*<DOCNO>\\s*(.*?)\\s*</DOCNO>(.*?)</DOC>");
    private static final Pattern TOP =
            Pattern.compile("(?s)<top>.*?<num>\\s*(.*?)\\s*</num>.*?<title>(.*?)</title>.*?</top>");

    static Map<String, String> trecDocuments(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = DOC.matcher(Files.readString(file));
        while (m.find()) {
            out.put(normalise(m.group(1)), m.group(2).strip());
        }
        return out;
    }

    static Map<String, String> trecQueries(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = TOP.matcher(Files.readString(file));
        while (m.find()) {
            // Some sets write queries in capitals; the analysers lower-case anyway, keep the text as written.
            out.put(normalise(m.group(1)), m.group(2).strip());
        }
        return out;
    }

    /** Judgement lines of whitespace-separated fields: the query in field {@code q}, the document in {@code d}. */
    static Map<String, Map<String, Integer>> binary(Path file, int q, int d) throws IOException {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.strip().split("\\s+");
            if (f.length <= Math.max(q, d)) {
                continue;
            }
            int gain = 1;
            if (f.length >= 4 && d == 2) {
                // TREC: the fourth field is the relevance.
                gain = Integer.parseInt(f[3]) > 0 ? 1 : 0;
            }
            out.computeIfAbsent(normalise(f[q]), k -> new HashMap<>()).put(normalise(f[d]), gain);
        }
        return out;
    }

    /** Ids compare as numbers where they are numbers ("01" and "1" are the same query). */
    static String normalise(String id) {
        String s = id.strip();
        if (s.matches("\\d+")) {
            return Integer.toString(Integer.parseInt(s));
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
