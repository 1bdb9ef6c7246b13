package dev.omnirag.server.ingest;

import dev.omnirag.generator.text.SentenceSplitter;
import dev.omnirag.generator.text.TableText;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Splits page text into chunks of about {@code targetTokens} model tokens at sentence boundaries, repeating
 * up to {@code overlapTokens} of trailing sentences at the start of the next chunk so an answer that spans a
 * boundary is still found whole. Sentences are {@link SentenceSplitter#english()}'s. Chunks never cross pages, and each chunk's text is exactly
 * {@code page.substring(charStart, charEnd)}, so citations can point at characters on the page. A sentence
 * longer than the target (tables, run-on extraction) is cut at word boundaries. Thread safe.
 */
public final class Chunker {

    /** One chunk: its text and where it lies on its page. */
    public record Chunk(int page, int charStart, int charEnd, String text, int tokens) {}

    private final ToIntFunction<String> tokenCounter;
    private final int targetTokens;
    private final int overlapTokens;

    public Chunker(ToIntFunction<String> tokenCounter, int targetTokens, int overlapTokens) {
        if (targetTokens < 16 || targetTokens > 8192) {
            throw new IllegalArgumentException("chunkTokens must be in 16..8192; chunkTokens=" + targetTokens);
        }
        if (overlapTokens < 0 || overlapTokens >= targetTokens) {
            throw new IllegalArgumentException(
                    "chunkOverlapTokens must be in 0.." + (targetTokens - 1) + "; chunkOverlapTokens=" + overlapTokens);
        }
        this.tokenCounter = tokenCounter;
        this.targetTokens = targetTokens;
        this.overlapTokens = overlapTokens;
    }

    /** The number of tokens a chunk is made up to. */
    public int targetTokens() {
        return targetTokens;
    }

    /** Chunks of one page, in order. */
    public List<Chunk> chunk(int page, String text) {
        List<Span> sentences = new ArrayList<>();
        for (Span s : tableGroups(text, sentences(text))) {
            if (s.tokens > targetTokens) {
                sentences.addAll(splitLong(text, s));
            } else {
                sentences.add(s);
            }
        }
        List<Chunk> chunks = new ArrayList<>();
        int i = 0;
        while (i < sentences.size()) {
            int start = i;
            int tokens = 0;
            while (i < sentences.size() && (i == start || tokens + sentences.get(i).tokens <= targetTokens)) {
                tokens += sentences.get(i).tokens;
                i++;
            }
            Span first = sentences.get(start);
            Span last = sentences.get(i - 1);
            chunks.add(new Chunk(page, first.start, last.end, text.substring(first.start, last.end), tokens));
            if (i >= sentences.size()) {
                break;
            }
            // Step back over trailing sentences that fit in the overlap, but always move forward.
            int back = i;
            int overlap = 0;
            while (back - 1 > start && overlap + sentences.get(back - 1).tokens <= overlapTokens) {
                back--;
                overlap += sentences.get(back).tokens;
            }
            i = back;
        }
        return chunks;
    }

    private record Span(int start, int end, int tokens) {}

    private List<Span> sentences(String text) {
        List<Span> out = new ArrayList<>();
        for (SentenceSplitter.Span s : SentenceSplitter.english().split(text)) {
            out.add(new Span(s.start(), s.end(), Math.max(1, tokenCounter.applyAsInt(s.in(text)))));
        }
        return out;
    }

    /**
     * Rows of one table group (a header and its rows, no blank line between; see {@link TableText}) as one unit,
     * with the line just before it (a caption) when that fits too, so no chunk starts a table without its header.
     * A group over the target stays rows, to be packed as sentences.
     */
    private List<Span> tableGroups(String text, List<Span> sentences) {
        List<Span> out = new ArrayList<>(sentences.size());
        int i = 0;
        while (i < sentences.size()) {
            Span first = sentences.get(i);
            if (!TableText.isRow(text.substring(first.start, first.end))) {
                out.add(first);
                i++;
                continue;
            }
            int j = i + 1;
            int tokens = first.tokens;
            while (j < sentences.size()
                    && singleLineBreak(text, sentences.get(j - 1).end, sentences.get(j).start)
                    && TableText.isRow(text.substring(sentences.get(j).start, sentences.get(j).end))) {
                tokens += sentences.get(j).tokens;
                j++;
            }
            if (j - i > 1 && tokens <= targetTokens) {
                int start = first.start;
                if (!out.isEmpty()
                        && singleLineBreak(text, out.getLast().end, first.start)
                        && tokens + out.getLast().tokens <= targetTokens) {
                    Span caption = out.removeLast();
                    start = caption.start;
                    tokens += caption.tokens;
                }
                out.add(new Span(start, sentences.get(j - 1).end, tokens));
            } else {
                out.addAll(sentences.subList(i, j));
            }
            i = j;
        }
        return out;
    }

    private static boolean singleLineBreak(String text, int from, int to) {
        int nl = text.indexOf('\n', from);
        if (nl < 0 || nl >= to) {
            return false;
        }
        int next = text.indexOf('\n', nl + 1);
        return next < 0 || next >= to;
    }

    private Span trimmed(String text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return null;
        }
        return new Span(start, end, Math.max(1, tokenCounter.applyAsInt(text.substring(start, end))));
    }

    private List<Span> splitLong(String text, Span s) {
        List<Span> parts = new ArrayList<>();
        BreakIterator words = BreakIterator.getWordInstance(Locale.ENGLISH);
        words.setText(text.substring(s.start, s.end));
        int partStart = 0;
        int lastEnd = 0;
        // Estimate by proportion, then verify with the real counter, so long sentences stay cheap to cut.
        double tokensPerChar = (double) s.tokens / (s.end - s.start);
        int maxChars = Math.max(1, (int) (targetTokens / tokensPerChar * 0.9));
        for (int b = words.next(); b != BreakIterator.DONE; b = words.next()) {
            if (b - partStart > maxChars && lastEnd > partStart) {
                Span part = trimmed(text, s.start + partStart, s.start + lastEnd);
                if (part != null) {
                    parts.add(part);
                }
                partStart = lastEnd;
            }
            lastEnd = b;
        }
        Span tail = trimmed(text, s.start + partStart, s.end);
        if (tail != null) {
            parts.add(tail);
        }
        return parts;
    }
}
