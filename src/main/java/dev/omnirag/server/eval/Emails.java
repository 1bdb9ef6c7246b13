package dev.omnirag.server.eval;

import dev.omnirag.server.ingest.DocumentParser;
import dev.omnirag.server.ingest.ParsedDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * A judged collection served as e-mail messages, read back by the server's parser: each document becomes a message
 * whose subject is its first line and whose body is the rest, from one of a dozen seeded senders to one of a few
 * lists, on a seeded date, and the parser's text of that {@code .eml} is the document. Measures what a message's
 * header lines ({@code From:}, {@code To:}, {@code Date:}, the same few names on every message) cost retrieval
 * ({@code deploy/omnirag eval --as-emails}). Seeded: the same seed gives the same messages.
 */
final class Emails {

    private static final List<String> SENDERS = List.of(
            "Ines Duarte <ines.duarte@example.org>",
            "Marek Nowak <marek.nowak@example.org>",
            "Aiko Tanaka <aiko@example.org>",
            "Samuel Okafor <s.okafor@example.org>",
            "Lena Fischer <lena.fischer@example.org>",
            "Carlos Mendes <cmendes@example.org>",
            "Priya Raman <priya.raman@example.org>",
            "Tom Becker <tom.becker@example.org>",
            "Sofia Rossi <sofia.rossi@example.org>",
            "David Levi <dlevi@example.org>",
            "Mei Chen <mei.chen@example.org>",
            "Olga Petrova <olga.p@example.org>");
    private static final List<String> LISTS =
            List.of("research-team@example.org", "library@example.org", "Reading group <reading@example.org>");

    private Emails() {}

    /** The collection with every document read as an e-mail message; queries and judgements unchanged. */
    static TestCollection of(TestCollection collection, long seed) throws IOException {
        DocumentParser parser = new DocumentParser(false);
        Random random = new Random(seed);
        Instant start = Instant.parse("2024-01-08T08:00:00Z");
        Map<String, String> messages = new LinkedHashMap<>();
        Path file = Files.createTempFile("omnirag-message", ".eml");
        try {
            for (Map.Entry<String, String> doc : collection.documents().entrySet()) {
                String text = doc.getValue().strip();
                String subject = text.lines().findFirst().orElse("").strip();
                Instant sent = start.plusSeconds(random.nextInt(2 * 365 * 86_400));
                String message = "From: " + SENDERS.get(random.nextInt(SENDERS.size())) + "\r\n"
                        + "To: " + LISTS.get(random.nextInt(LISTS.size())) + "\r\n"
                        + "Subject: " + subject + "\r\n"
                        + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(sent.atOffset(ZoneOffset.UTC))
                        + "\r\n"
                        + "Message-ID: <" + doc.getKey().hashCode() + "." + random.nextInt(1_000_000)
                        + "@example.org>\r\n"
                        + "MIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Transfer-Encoding: 8bit\r\n\r\n"
                        + text.substring(subject.length()).strip().replace("\n", "\r\n") + "\r\n";
                Files.writeString(file, message, StandardCharsets.UTF_8);
                String read;
                try {
                    read = parser.parse(file, "message/rfc822").pages().stream()
                            .map(ParsedDocument.Page::text)
                            .collect(Collectors.joining("\n"));
                } catch (dev.omnirag.server.ingest.IngestException.BadFile e) {
                    read = "";
                }
                messages.put(doc.getKey(), read);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return new TestCollection(
                collection.name() + " as e-mail", messages, collection.queries(), collection.judgements());
    }
}
