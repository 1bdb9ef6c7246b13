package dev.omnirag.server.ingest;

import dev.omnirag.media.Subtitles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A caption file (WebVTT, SubRip) or a video's subtitle track as a timed transcript: one paragraph per speaker's turn
 * (a new speaker, or a pause of more than {@value #PAUSE_MS} ms; a long turn in paragraphs of about {@value
 * #RESTATE_MS} ms), opened by {@code Name: } when the captions name who speaks, each cue a span with its times. {@link ChunkPlanner} cuts it into time windows as it does a recording's
 * transcript, so a citation names the seconds a passage was said. Cues within a turn are joined with a space: a
 * caption's line breaks are the screen's, not the sentence's.
 */
final class Captions {

    /** The caption files read this way (Tika's names for {@code .vtt} and {@code .srt}). */
    static final Set<String> TYPES = Set.of("text/vtt", "application/x-subrip", "text/x-subrip");

    /** A pause longer than this between two cues of one speaker starts a new paragraph. */
    static final long PAUSE_MS = 2_000;

    /**
     * A speaker's paragraph that has gone on this long ends with the next sentence's end, and the next opens with
     * their name again: shorter than a time window ({@code omnirag.asr.window}, 30 s by default).
     */
    static final long RESTATE_MS = 20_000;

    /** A cue that ends a sentence: its last character (a closing quote or bracket aside) is {@code .}, {@code ?}, {@code !}. */
    private static final java.util.regex.Pattern SENTENCE_END = java.util.regex.Pattern.compile("[.?!…][\"'’”)\\]]*$");

    private Captions() {}

    /**
     * Reads a caption file; null when it holds no cue (a file named {@code .vtt} or {@code .srt} that is other text is
     * read as text).
     *
     * @throws IngestException.BadFile when its captions hold more text than {@code maxChars}
     */
    static ParsedDocument parse(Path file, long maxChars) throws IOException {
        // A caption file is little more than its text: one much larger is not read whole to find that out.
        if (Files.size(file) > 4 * maxChars + 1024) {
            throw new IngestException.BadFile("the caption file is " + Files.size(file) + " bytes, more than its text "
                    + "limit allows (omnirag.ingest.max-text-chars=" + maxChars + ")");
        }
        Subtitles subtitles;
        try {
            subtitles = Subtitles.parse(read(file));
        } catch (RuntimeException e) {
            throw new IngestException.BadFile("the captions cannot be read: " + e.getMessage());
        }
        if (subtitles.cues().isEmpty()) {
            return null;
        }
        if (subtitles.characters() > maxChars) {
            throw new IngestException.BadFile("the captions hold more than " + maxChars
                    + " characters of text, the most read from one file (omnirag.ingest.max-text-chars)");
        }
        long speakers = subtitles.cues().stream()
                .map(Subtitles.Cue::speaker)
                .filter(Objects::nonNull)
                .distinct()
                .count();
        return new ParsedDocument(
                List.of(page(subtitles)),
                false,
                ParsedDocument.Kind.TRANSCRIPT,
                List.of(),
                "read " + subtitles.cues().size() + " captions"
                        + (speakers > 0 ? " of " + speakers + " speakers" : ""));
    }

    /** The file's text: UTF-8 when it is well-formed UTF-8, else in the charset Tika detects (a BOM, a legacy code page). */
    private static String read(Path file) throws IOException {
        if (StrictUtf8.matches(file)) {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        try (var reader = new org.apache.tika.detect.AutoDetectReader(org.apache.tika.io.TikaInputStream.get(file))) {
            java.io.StringWriter out = new java.io.StringWriter();
            reader.transferTo(out);
            return out.toString();
        } catch (org.apache.tika.exception.TikaException e) {
            throw new IngestException.BadFile("the caption file's characters cannot be read: " + e.getMessage());
        }
    }

    /** The transcript page of {@code subtitles}: its text and one timed span per cue. */
    static ParsedDocument.Page page(Subtitles subtitles) {
        StringBuilder text = new StringBuilder();
        List<ParsedDocument.Span> spans = new ArrayList<>();
        Subtitles.Cue before = null;
        long paragraphStart = 0;
        for (Subtitles.Cue cue : subtitles.cues()) {
            // A long turn is told in paragraphs of about RESTATE_MS, each opened by the speaker's name where a
            // sentence ends: a time window that starts inside the turn still says who speaks.
            boolean turn = before == null
                    || !Objects.equals(before.speaker(), cue.speaker())
                    || cue.startMs() - before.endMs() > PAUSE_MS
                    || cue.speaker() != null
                            && cue.startMs() - paragraphStart >= RESTATE_MS
                            && SENTENCE_END.matcher(before.text()).find();
            if (turn) {
                paragraphStart = cue.startMs();
            }
            int start;
            if (turn) {
                if (!text.isEmpty()) {
                    text.append("\n\n");
                }
                start = text.length();
                if (cue.speaker() != null) {
                    text.append(cue.speaker()).append(": ");
                }
            } else {
                text.append(' ');
                start = text.length();
            }
            text.append(cue.text());
            spans.add(new ParsedDocument.Span(start, text.length(), null, cue.startMs(), cue.endMs()));
            before = cue;
        }
        return new ParsedDocument.Page(1, text.toString(), spans, false);
    }
}
