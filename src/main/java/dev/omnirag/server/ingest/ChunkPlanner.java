package dev.omnirag.server.ingest;

import dev.omnirag.embeddings.Embedder;
import dev.omnirag.index.BoundingBox;
import dev.omnirag.index.Locator;
import dev.omnirag.server.config.AsrConfig;
import dev.omnirag.server.config.ImageConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * Plans the chunks of a parsed document for its media kind: transcripts into time windows, other pages at sentence
 * boundaries ({@link Chunker}); each chunk with its locator (page, characters, and the box of its OCR words or the
 * time of its spoken words) and its positioned words. Tables of contents and indexes are not chunked ({@link TableOfContents}),
 * unless they are all of a document's text. Also makes the native (image) vectors of picture pages. Stateless and
 * thread-safe.
 */
@ApplicationScoped
public class ChunkPlanner {

    /** Words a document's first line may have at most to be read as its title. */
    static final int TITLE_WORDS = 20;

    /** Characters from the start of the first page a metadata title must appear within. */
    static final int TITLE_WINDOW = 1_000;

    private static final Pattern SPACES = Pattern.compile("\\s+");

    /**
     * The chunks of one document, with a locator and the positioned words of each (same order), and the document's
     * title ({@link #title(String)}; null when it has none), which the embedder reads with each chunk that does not
     * hold it ({@link #embedded}, line breaks aside).
     */
    public record Plan(
            List<Chunker.Chunk> chunks, List<Locator> locators, List<List<ParsedDocument.Span>> spans, String title) {
        public Plan {
            if (chunks.size() != locators.size() || chunks.size() != spans.size()) {
                throw new IllegalArgumentException("a plan needs one locator and one span list per chunk; chunks="
                        + chunks.size() + ", locators=" + locators.size() + ", spans=" + spans.size());
            }
            chunks = List.copyOf(chunks);
            locators = List.copyOf(locators);
            spans = List.copyOf(spans);
        }

        public int size() {
            return chunks.size();
        }
    }

    private final Chunker chunker;
    private final TranscriptChunker transcriptChunker;
    private final Embedder embedder;
    private final MediaProcessor media;
    private final int embedImageSize;

    ChunkPlanner(Chunker chunker, Embedder embedder, MediaProcessor media, AsrConfig asr, ImageConfig images) {
        this.chunker = chunker;
        this.embedder = embedder;
        this.media = media;
        this.transcriptChunker = new TranscriptChunker(
                asr.window().toMillis(), asr.windowOverlap().toMillis());
        this.embedImageSize = images.embedSize();
    }

    /** Chunks every page of {@code parsed}. */
    public Plan plan(ParsedDocument parsed) {
        List<Chunker.Chunk> chunks = new ArrayList<>();
        List<Locator> locators = new ArrayList<>();
        List<List<ParsedDocument.Span>> spans = new ArrayList<>();
        boolean timed = parsed.kind() == ParsedDocument.Kind.AUDIO || parsed.kind() == ParsedDocument.Kind.TRANSCRIPT;
        boolean skipContents = !timed && hasTextBesidesContents(parsed);
        for (ParsedDocument.Page page : parsed.pages()) {
            if (timed) {
                for (TranscriptChunker.Window w : transcriptChunker.windows(page.spans())) {
                    String text = page.text().substring(w.charStart(), w.charEnd());
                    int tokens = Math.max(1, embedder.countTokens(text));
                    if (tokens <= 2 * chunker.targetTokens()) {
                        chunks.add(new Chunker.Chunk(page.number(), w.charStart(), w.charEnd(), text, tokens));
                        locators.add(new Locator(null, w.charStart(), w.charEnd(), null, w.startMs(), w.endMs()));
                        spans.add(Spans.slice(page.spans(), w.charStart(), w.charEnd()));
                        continue;
                    }
                    // A window of one long timed span (a caption that holds a minute of speech): cut by sentences,
                    // each piece with the times of the spans it touches.
                    for (Chunker.Chunk c : chunker.chunk(page.number(), text)) {
                        int start = c.charStart() + w.charStart();
                        int end = c.charEnd() + w.charStart();
                        List<ParsedDocument.Span> touched = Spans.slice(page.spans(), start, end);
                        long from = touched.stream()
                                .filter(x -> x.startMs() != null)
                                .mapToLong(ParsedDocument.Span::startMs)
                                .min()
                                .orElse(w.startMs());
                        long to = touched.stream()
                                .filter(x -> x.endMs() != null)
                                .mapToLong(ParsedDocument.Span::endMs)
                                .max()
                                .orElse(w.endMs());
                        chunks.add(new Chunker.Chunk(c.page(), start, end, c.text(), c.tokens()));
                        locators.add(new Locator(null, start, end, null, from, to));
                        spans.add(touched);
                    }
                }
                // Text after the last timed word (the recording's tags) is chunked as text, without a time.
                int tail = page.spans().stream()
                        .mapToInt(ParsedDocument.Span::charEnd)
                        .max()
                        .orElse(0);
                if (!page.text().substring(tail).isBlank()) {
                    for (Chunker.Chunk c :
                            chunker.chunk(page.number(), page.text().substring(tail))) {
                        chunks.add(new Chunker.Chunk(
                                c.page(), c.charStart() + tail, c.charEnd() + tail, c.text(), c.tokens()));
                        locators.add(new Locator(null, c.charStart() + tail, c.charEnd() + tail));
                        spans.add(List.of());
                    }
                }
                continue;
            }
            // A text page's tables and pictures (their OCR'd words) are chunked apart from the text around them and
            // from each other, so each of their chunks points at one table or picture.
            List<ParsedDocument.Region> regions = new ArrayList<>();
            int at = 0;
            for (ParsedDocument.Region r : page.regions()) {
                if (r.charStart() > at) {
                    regions.add(new ParsedDocument.Region(at, r.charStart(), null));
                }
                regions.add(r);
                at = r.charEnd();
            }
            if (at < page.text().length() || regions.isEmpty()) {
                regions.add(new ParsedDocument.Region(at, page.text().length(), null));
            }
            if (skipContents) {
                regions = withoutContents(regions, TableOfContents.find(page.text()));
            }
            for (ParsedDocument.Region region : regions) {
                String text = page.text().substring(region.charStart(), region.charEnd());
                for (Chunker.Chunk r : chunker.chunk(page.number(), text)) {
                    int start = r.charStart() + region.charStart();
                    int end = r.charEnd() + region.charStart();
                    chunks.add(
                            region.charStart() == 0
                                    ? r
                                    : new Chunker.Chunk(r.page(), start, end, r.text(), r.tokens()));
                    Locator locator = new Locator(parsed.paged() ? r.page() : null, start, end).withSheet(page.sheet());
                    if (page.image()) {
                        BoundingBox box = MediaProcessor.boxOf(page.spans(), start, end);
                        locator = locator.withBbox(box == null ? BoundingBox.PAGE : box);
                    } else if (region.box() != null) {
                        BoundingBox box = MediaProcessor.boxOf(page.spans(), start, end);
                        locator = locator.withBbox(box == null ? region.box() : box);
                    }
                    locators.add(locator);
                    spans.add(Spans.slice(page.spans(), start, end));
                }
            }
        }
        return new Plan(chunks, locators, spans, title(parsed));
    }

    /**
     * The document's title for its chunks' context: the title its metadata gives ({@link ParsedDocument#title()}) when
     * its first page with text shows it (a PDF's first line is often a journal's name, a working paper series or an
     * arXiv stamp, while its title property is often a file name or a template's: each is checked against the other),
     * else {@link #title(String)} of that page; null for a recording, a picture or a spreadsheet, whose first words (a
     * sheet's name) are no title.
     */
    static String title(ParsedDocument parsed) {
        if (parsed.kind() == ParsedDocument.Kind.AUDIO
                || parsed.kind() == ParsedDocument.Kind.TRANSCRIPT
                || parsed.kind() == ParsedDocument.Kind.IMAGE) {
            return null;
        }
        for (ParsedDocument.Page page : parsed.pages()) {
            if (!page.text().isBlank()) {
                if (page.sheet() != null) {
                    return null;
                }
                String shown = shownTitle(parsed.title(), page.text());
                if (shown != null) {
                    return shown;
                }
                String title = title(page.text());
                // A document that opens with its contents has no title line ("Contents" is none).
                return title == null || TableOfContents.isHeading(title) ? null : title;
            }
        }
        return null;
    }

    /**
     * {@code title} (a metadata title) as {@code page} writes it (its case, single spaces), when it has 2 to {@value
     * #TITLE_WORDS} words and the page shows it within its first {@value #TITLE_WINDOW} characters (case and line
     * breaks aside); else null.
     */
    static String shownTitle(String title, String page) {
        if (title == null) {
            return null;
        }
        String single = SPACES.matcher(title.strip()).replaceAll(" ");
        int words = single.split(" ").length;
        if (words < 2 || words > TITLE_WORDS) {
            return null;
        }
        String head = spaced(page.substring(0, Math.min(page.length(), TITLE_WINDOW)));
        // Case-insensitively on the page's own characters (lower-casing may change a text's length: "İ").
        java.util.regex.Matcher m = Pattern.compile(
                        Pattern.quote(single), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                .matcher(head);
        // as the page writes it, so the chunk that holds it is recognised
        return m.find() ? head.substring(m.start(), m.end()) : null;
    }

    private static String spaced(String text) {
        return SPACES.matcher(text).replaceAll(" ");
    }

    /**
     * A text's title: its first line with letters, stripped (its inner spacing kept, so the chunk that holds it is
     * recognised), when it has at most {@value #TITLE_WORDS} words (a paper's, a web page's, a message's subject);
     * null when the text starts with a longer line (prose, no title).
     */
    public static String title(String text) {
        for (String line : text.split("\n")) {
            String title = line.strip();
            if (title.chars().anyMatch(Character::isLetter)) {
                return title.split("\\s+").length <= TITLE_WORDS ? title : null;
            }
        }
        return null;
    }

    /**
     * What the embedder reads of a chunk ({@code text}, as prepared for embedding) of a document titled {@code
     * title}: the title as its first line when the chunk does not hold it, so a chunk from the middle of a document
     * ("the drag rise was measured at three angles") is embedded as part of what the document is about; the stored
     * text and the keyword index keep the chunk's own words.
     */
    public static String embedded(String title, String text) {
        return title == null || text.contains(title) || spaced(text).contains(spaced(title))
                ? text
                : title + "\n\n" + text;
    }

    /**
     * Whether some page has text outside its tables of contents: a document that is only a contents page (or whose
     * contents finder is wrong about all of it) keeps its text in the index.
     */
    private static boolean hasTextBesidesContents(ParsedDocument parsed) {
        for (ParsedDocument.Page page : parsed.pages()) {
            int at = 0;
            for (ParsedDocument.Region toc : TableOfContents.find(page.text())) {
                if (!page.text().substring(at, toc.charStart()).isBlank()) {
                    return true;
                }
                at = toc.charEnd();
            }
            if (!page.text().substring(at).isBlank()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The text regions less the tables of contents in them (regions with a box, tables and pictures, are kept whole).
     */
    static List<ParsedDocument.Region> withoutContents(
            List<ParsedDocument.Region> regions, List<ParsedDocument.Region> contents) {
        if (contents.isEmpty()) {
            return regions;
        }
        List<ParsedDocument.Region> out = new ArrayList<>();
        for (ParsedDocument.Region region : regions) {
            if (region.box() != null) {
                out.add(region);
                continue;
            }
            int at = region.charStart();
            for (ParsedDocument.Region toc : contents) {
                if (toc.charEnd() <= at || toc.charStart() >= region.charEnd()) {
                    continue;
                }
                if (toc.charStart() > at) {
                    out.add(new ParsedDocument.Region(at, toc.charStart(), null));
                }
                at = Math.max(at, toc.charEnd());
            }
            if (at < region.charEnd()) {
                out.add(new ParsedDocument.Region(at, region.charEnd(), null));
            }
        }
        return out;
    }

    /**
     * Native vectors of picture pages (image frames, scanned pages), keyed by the index of the page's first chunk,
     * which carries it: the native list then ranks pages, and the text path picks the best chunk. Empty without a
     * native embedder. {@code beforePage} is told each page number before its image is embedded (for progress).
     */
    public Map<Integer, float[]> nativeVectors(
            ParsedDocument parsed,
            Plan plan,
            Path file,
            String mediaType,
            Embedder nativeEmbedder,
            IntConsumer beforePage) {
        Map<Integer, float[]> out = new HashMap<>();
        if (nativeEmbedder == null) {
            return out;
        }
        Map<Integer, Integer> firstChunk = new HashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            firstChunk.putIfAbsent(plan.chunks().get(i).page(), i);
        }
        for (ParsedDocument.Page page : parsed.pages()) {
            Integer chunk = firstChunk.get(page.number());
            if (!page.image() || chunk == null) {
                continue;
            }
            beforePage.accept(page.number());
            out.put(chunk, nativeEmbedder.embedImage(media.pageImage(file, mediaType, page.number(), embedImageSize)));
        }
        return out;
    }
}
