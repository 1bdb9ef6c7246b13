package dev.omnirag.server.eval;

import dev.omnirag.server.ingest.DocumentParser;
import dev.omnirag.server.ingest.ParsedDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * A judged collection served as the web pages of one site, read back by the server's parser: each document becomes
 * a page with the site's banner, menu and footer, a sidebar of five other documents' titles ("related articles", as
 * a library or news site shows them) and a {@code <title>}; the document's first line is the page's heading and title,
 * the rest its body, and the parser's text of that page is the document. Measures
 * what a site's furniture costs retrieval, and what the parser removes of it ({@code deploy/omnirag eval
 * --as-web-pages semantic|divs}): {@link Markup#SEMANTIC} marks the parts as HTML5 does ({@code <header>}, {@code
 * <nav>}, {@code <aside>}, {@code <main>}, {@code <footer>}), {@link Markup#DIVS} as older sites do, with {@code
 * <div id=...>} only. Seeded: the same seed gives the same pages.
 */
final class WebPages {

    /** How the site marks its parts. */
    enum Markup {
        SEMANTIC,
        DIVS
    }

    private static final String MENU = "Home | Browse subjects | Journals | Authors | Alerts | Help | Sign in";
    private static final String FOOTER =
            "Copyright the Library. Terms of use. Privacy policy. Cookie settings. Contact the editors.";

    private WebPages() {}

    /** The collection with every document read as a page of the site; queries and judgements unchanged. */
    static TestCollection of(TestCollection collection, Markup markup, long seed) throws IOException {
        DocumentParser parser = new DocumentParser(false);
        List<String> ids = new ArrayList<>(collection.documents().keySet());
        Map<String, String> titles = new LinkedHashMap<>();
        collection
                .documents()
                .forEach((id, text) ->
                        titles.put(id, text.strip().lines().findFirst().orElse("")));
        Random random = new Random(seed);
        Map<String, String> pages = new LinkedHashMap<>();
        Path file = Files.createTempFile("omnirag-web-page", ".html");
        try {
            for (Map.Entry<String, String> doc : collection.documents().entrySet()) {
                List<String> related = new ArrayList<>();
                while (related.size() < 5 && ids.size() > 5) {
                    String other = ids.get(random.nextInt(ids.size()));
                    String title = firstWords(titles.get(other), 12);
                    if (!other.equals(doc.getKey()) && !related.contains(title)) {
                        related.add(title);
                    }
                }
                // The document's first line is the page's heading and title, the rest its body: the page's own
                // text is the document's, so what the parser keeps can be compared with the plain collection.
                String text = doc.getValue().strip();
                String title = titles.get(doc.getKey());
                Files.writeString(
                        file, page(title, text.substring(title.length()).strip(), related, markup));
                String read;
                try {
                    read = parser.parse(file, "text/html").pages().stream()
                            .map(ParsedDocument.Page::text)
                            .collect(Collectors.joining("\n"));
                } catch (dev.omnirag.server.ingest.IngestException.BadFile e) {
                    // A document without text (the collection has a few) is a page of furniture only.
                    read = "";
                }
                pages.put(doc.getKey(), read);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            Files.deleteIfExists(file);
        }
        return new TestCollection(
                collection.name() + " as web pages (" + markup.name().toLowerCase(Locale.ROOT) + ")",
                pages,
                collection.queries(),
                collection.judgements());
    }

    private static String page(String title, String text, List<String> related, Markup markup) {
        StringBuilder out = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append(" - The Library</title></head><body>\n");
        String items = related.stream()
                .map(t -> "<li><a href=\"#\">" + escape(t) + "</a></li>")
                .collect(Collectors.joining());
        String menu = "<ul>"
                + String.join(
                        "",
                        java.util.Arrays.stream(MENU.split(" \\| "))
                                .map(m -> "<li><a href=\"#\">" + m + "</a></li>")
                                .toList())
                + "</ul>";
        String body = "<h1>" + escape(title) + "</h1>\n<p>" + escape(text).replace("\n\n", "</p><p>") + "</p>";
        if (markup == Markup.SEMANTIC) {
            out.append("<header><div class=\"logo\">The Library</div><nav>")
                    .append(menu)
                    .append("</nav></header>\n<main><article>")
                    .append(body)
                    .append("</article></main>\n<aside><h2>Related articles</h2><ul>")
                    .append(items)
                    .append("</ul></aside>\n<footer><p>")
                    .append(FOOTER)
                    .append("</p></footer>\n");
        } else {
            out.append("<div id=\"header\"><div class=\"logo\">The Library</div><div id=\"menu\">")
                    .append(menu)
                    .append("</div></div>\n<div id=\"content\">")
                    .append(body)
                    .append("</div>\n<div id=\"sidebar\"><h2>Related articles</h2><ul>")
                    .append(items)
                    .append("</ul></div>\n<div id=\"footer\"><p>")
                    .append(FOOTER)
                    .append("</p></div>\n");
        }
        return out.append("</body></html>\n").toString();
    }

    private static String firstWords(String text, int n) {
        String[] words = text.strip().split("\\s+");
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(n, words.length)));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
