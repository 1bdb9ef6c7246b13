package dev.omnirag.media;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Captions read from a WebVTT file (Zoom's and Teams' meeting transcripts, YouTube's captions, a video's subtitle
 * track as ffmpeg writes it) or a SubRip ({@code .srt}) file: each cue's time range, who speaks (a WebVTT voice tag
 * {@code <v Name>}, or the {@code Name: } that starts most cues, as Zoom writes them) and its text without markup, its
 * lines joined. Lines a cue repeats from the cue before (captions that roll up, as YouTube's automatic ones do) are
 * left out. Lenient, as players are: a block without a timing line (a header, a {@code NOTE}, a style) is skipped, a
 * cue ending before it starts ends where it starts, and cues are ordered by their start. No Java library that is kept
 * up reads these formats; both are a few lines of text per cue. Immutable.
 *
 * @param cues the cues in order of their start
 */
public record Subtitles(List<Cue> cues) {

    /**
     * One cue.
     *
     * @param startMs when it is shown, ms from the start of the recording
     * @param endMs when it is hidden (≥ start)
     * @param speaker who says it, or null when the file does not say
     * @param text its words on one line, without markup or the speaker's name
     */
    public record Cue(long startMs, long endMs, String speaker, String text) {
        public Cue {
            if (startMs < 0 || endMs < startMs) {
                throw new IllegalArgumentException("invalid cue time; startMs=" + startMs + ", endMs=" + endMs);
            }
            Objects.requireNonNull(text, "text must not be null");
            speaker = speaker == null || speaker.isBlank() ? null : speaker.strip();
        }
    }

    public Subtitles {
        cues = List.copyOf(cues);
    }

    /** A cue's timing line: {@code 00:01:02.500 --> 00:01:04.000 align:start} ({@code ,} in SubRip; hours optional). */
    private static final Pattern TIMING = Pattern.compile(
            "^\\s*((?:\\d{1,5}:)?\\d{1,2}:\\d{1,2}[.,]\\d{1,3})\\s*-->\\s*((?:\\d{1,5}:)?\\d{1,2}:\\d{1,2}[.,]\\d{1,3})(?:\\s.*)?$");
    /** A voice tag, {@code <v Name>} or {@code <v.loud Name>}. */
    private static final Pattern VOICE = Pattern.compile("<v(?:\\.[^\\s>]*)?\\s+([^>]*)>");
    /** Any other tag (italics, classes, a karaoke timestamp, SubRip's {@code <font>}) and SSA overrides ({@code {\an8}}). */
    private static final Pattern MARKUP = Pattern.compile("<[^>]*>|\\{\\\\[^}]*}");
    /**
     * A name that starts a cue, as Zoom writes its speakers: one to four capitalised words (one or two lower-case particles
     * between them: "van", "de"), then a colon.
     */
    private static final Pattern NAMED = Pattern.compile(
            "^(\\p{Lu}[\\p{L}\\p{M}.'’-]*(?: (?:\\p{Ll}{1,3} ){0,2}\\p{Lu}[\\p{L}\\p{M}.'’-]*){0,3}): (\\S.*)$");

    /** The most lines of one cue read (a caption has one to three; more is no caption). */
    private static final int MAX_CUE_LINES = 32;

    private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});");
    private static final Map<String, String> ENTITIES =
            Map.of("amp", "&", "lt", "<", "gt", ">", "nbsp", " ", "quot", "\"", "apos", "'", "lrm", "", "rlm", "");

    /** True when {@code text} holds at least one cue timing line (a file of either format). */
    public static boolean looksLikeSubtitles(String text) {
        for (String line : text.split("\\R", 200)) {
            if (TIMING.matcher(line).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Reads WebVTT or SubRip text; no cue when it has none. */
    public static Subtitles parse(String text) {
        String[] lines = text.replace("\uFEFF", "").split("\\R", -1);
        List<Cue> cues = new ArrayList<>();
        List<String> previous = List.of();
        String previousSpeaker = null;
        int i = 0;
        while (i < lines.length) {
            Matcher timing = TIMING.matcher(lines[i]);
            if (!timing.matches()) {
                i++;
                continue;
            }
            long start = millis(timing.group(1));
            long end = Math.max(start, millis(timing.group(2)));
            i++;
            List<String> payload = new ArrayList<>();
            // A cue ends at an empty line; YouTube's hold a line of one space, which is part of the cue.
            while (i < lines.length
                    && !lines[i].isEmpty()
                    && !TIMING.matcher(lines[i]).matches()) {
                if (payload.size() < MAX_CUE_LINES) {
                    payload.add(lines[i]);
                }
                i++;
            }
            // A SubRip file without blank lines: the number before the next timing line is that cue's, not this one's.
            if (i < lines.length
                    && TIMING.matcher(lines[i]).matches()
                    && !payload.isEmpty()
                    && payload.getLast().strip().matches("\\d+")) {
                payload.removeLast();
            }
            String speaker = null;
            List<String> cleaned = new ArrayList<>();
            for (String line : payload) {
                Matcher voice = VOICE.matcher(line);
                if (voice.find() && speaker == null) {
                    speaker = clean(voice.group(1));
                }
                String words = clean(MARKUP.matcher(line).replaceAll(""));
                if (!words.isEmpty()) {
                    cleaned.add(words);
                }
            }
            // Captions that roll up start with the lines the cue before ended with, said by the same speaker.
            int from = java.util.Objects.equals(speaker, previousSpeaker) ? repeated(previous, cleaned) : 0;
            previous = cleaned;
            previousSpeaker = speaker;
            if (from < cleaned.size()) {
                cues.add(new Cue(start, end, speaker, String.join(" ", cleaned.subList(from, cleaned.size()))));
            }
        }
        cues.sort(Comparator.comparingLong(Cue::startMs));
        return new Subtitles(named(cues));
    }

    /** How many lines {@code cue} starts with that {@code before} ends with, in the same order. */
    private static int repeated(List<String> before, List<String> cue) {
        for (int n = Math.min(before.size(), cue.size()); n > 0; n--) {
            if (before.subList(before.size() - n, before.size()).equals(cue.subList(0, n))) {
                return n;
            }
        }
        return 0;
    }

    /**
     * When most cues without a voice start with a speaker's name and a colon (Zoom), the name becomes the cue's
     * speaker; a colon in a few cues ("Note: …") is left as text.
     */
    private static List<Cue> named(List<Cue> cues) {
        long unvoiced = cues.stream().filter(c -> c.speaker() == null).count();
        long named = cues.stream()
                .filter(c -> c.speaker() == null && NAMED.matcher(c.text()).matches())
                .count();
        if (named < 2 || named * 2 <= unvoiced) {
            return cues;
        }
        List<Cue> out = new ArrayList<>(cues.size());
        for (Cue c : cues) {
            Matcher m = c.speaker() == null ? NAMED.matcher(c.text()) : null;
            out.add(m != null && m.matches() ? new Cue(c.startMs(), c.endMs(), m.group(1), m.group(2)) : c);
        }
        return out;
    }

    /** The number of characters of the cues' text and speakers' names. */
    public long characters() {
        return cues.stream()
                .mapToLong(c -> c.text().length()
                        + (c.speaker() == null ? 0 : c.speaker().length()))
                .sum();
    }

    private static long millis(String stamp) {
        String[] parts = stamp.replace(',', '.').split(":");
        long hours = parts.length == 3 ? Long.parseLong(parts[0]) : 0;
        long minutes = Long.parseLong(parts[parts.length - 2]);
        String[] seconds = parts[parts.length - 1].split("\\.");
        String fraction = (seconds[1] + "00").substring(0, 3);
        return ((hours * 60 + minutes) * 60 + Long.parseLong(seconds[0])) * 1000 + Long.parseLong(fraction);
    }

    /** Entities decoded and spaces collapsed. */
    private static String clean(String text) {
        Matcher m = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value;
            if (name.startsWith("#")) {
                int code = name.startsWith("#x")
                        ? Integer.parseInt(name.substring(2), 16)
                        : Integer.parseInt(name.substring(1));
                // A control character or half a surrogate pair is no text; a tab or a line break is a space.
                value = !Character.isValidCodePoint(code) || code >= 0xD800 && code <= 0xDFFF
                        ? ""
                        : Character.isWhitespace(code)
                                ? " "
                                : Character.isISOControl(code) ? "" : Character.toString(code);
            } else {
                value = ENTITIES.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString().replace('\u00A0', ' ').replaceAll("\\s+", " ").strip();
    }
}
