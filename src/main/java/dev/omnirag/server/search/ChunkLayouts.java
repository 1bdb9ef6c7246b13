package dev.omnirag.server.search;

import dev.omnirag.index.Locator;
import dev.omnirag.index.SearchHit;
import dev.omnirag.server.db.ChunkEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.ingest.ParsedDocument;
import dev.omnirag.server.ingest.Spans;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Narrows locators inside OCR'd and transcribed chunks using the positioned words kept with each chunk's row:
 * a citation quoting part of a chunk gets the box (or the seconds) of exactly the quoted words, and a search hit
 * gets a highlight, the line of the chunk (an OCR line, an utterance) sharing most words with the query.
 * Chunks of text documents have no positioned words and are left as they are. Blocking (reads PostgreSQL).
 */
@ApplicationScoped
public class ChunkLayouts {

    private static final Set<String> STOP = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or", "that",
            "the", "this", "to", "was", "what", "with");

    private final Db db;

    ChunkLayouts(Db db) {
        this.db = db;
    }

    /** True when the hit's chunk can have positioned words (it has a box or a time). */
    static boolean positioned(SearchHit hit) {
        return hit.locator().bbox() != null || hit.locator().startMs() != null;
    }

    /** The positioned words of the given chunks that have any, by chunk id (offsets relative to the chunk). */
    public Map<String, List<ParsedDocument.Span>> spans(Collection<SearchHit> hits) {
        List<String> ids = hits.stream()
                .filter(ChunkLayouts::positioned)
                .map(SearchHit::chunkId)
                .distinct()
                .toList();
        Map<String, List<ParsedDocument.Span>> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        List<ChunkEntity> rows = db.read(() -> ChunkEntity.<ChunkEntity>list("id in ?1", ids));
        for (ChunkEntity row : rows) {
            List<ParsedDocument.Span> spans = Spans.fromJson(row.spans);
            if (!spans.isEmpty()) {
                out.put(row.id, spans);
            }
        }
        return out;
    }

    /**
     * The locator of {@code [from, to)} of the hit's text (offsets relative to the chunk): characters shifted onto the
     * page, box and time narrowed to the words in that range when the chunk has positioned words.
     */
    public static Locator narrow(SearchHit hit, List<ParsedDocument.Span> spans, int from, int to) {
        Locator chunk = hit.locator();
        Locator shifted = chunk.charStart() == null
                ? chunk
                : new Locator(
                        chunk.page(),
                        chunk.charStart() + from,
                        chunk.charStart() + to,
                        chunk.bbox(),
                        chunk.startMs(),
                        chunk.endMs(),
                        chunk.sheet());
        return spans == null || spans.isEmpty() ? shifted : Spans.narrow(shifted, spans, from, to);
    }

    /** The highlight of each positioned hit: its line that shares most words with the query (none when no word). */
    public Map<String, Locator> highlights(List<SearchHit> hits, String query) {
        Map<String, Locator> out = new HashMap<>();
        if (query == null || query.isBlank()) {
            return out;
        }
        Set<String> terms = words(query);
        if (terms.isEmpty()) {
            return out;
        }
        Map<String, List<ParsedDocument.Span>> all = spans(hits);
        for (SearchHit hit : hits) {
            List<ParsedDocument.Span> spans = all.get(hit.chunkId());
            if (spans == null) {
                continue;
            }
            String text = hit.text();
            int bestStart = -1;
            int bestEnd = -1;
            int bestScore = 0;
            for (int start = 0; start < text.length(); ) {
                int end = text.indexOf('\n', start);
                if (end < 0) {
                    end = text.length();
                }
                Set<String> line = words(text.substring(start, end));
                line.retainAll(terms);
                if (line.size() > bestScore) {
                    bestScore = line.size();
                    bestStart = start;
                    bestEnd = end;
                }
                start = end + 1;
            }
            if (bestScore > 0) {
                out.put(hit.chunkId(), narrow(hit, spans, bestStart, bestEnd));
            }
        }
        return out;
    }

    private static Set<String> words(String s) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty() && !STOP.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }
}
