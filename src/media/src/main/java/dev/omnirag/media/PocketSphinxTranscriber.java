package dev.omnirag.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * English speech recognition with CMU PocketSphinx, run as Debian's {@code pocketsphinx_continuous} program
 * (packages {@code pocketsphinx} and {@code pocketsphinx-en-us}) with {@code -time yes}, which prints each
 * recognised word with its start and end in seconds between {@code <s>} and {@code </s>} markers per utterance.
 * Utterances become segments; fillers ({@code <sil>}, {@code [NOISE]}) are dropped and alternate pronunciation
 * marks ({@code can(2)}) removed. Accuracy is modest; it needs no model download. Immutable and thread safe
 * (each call is its own process).
 */
public final class PocketSphinxTranscriber implements Transcriber {

    /** {@code word start end probability}, e.g. {@code country 5.860 6.420 0.473555}. */
    private static final Pattern WORD_LINE =
            Pattern.compile("^(\\S+) (\\d+\\.\\d+) (\\d+\\.\\d+) (-?\\d+(?:\\.\\d+)?)$");

    private static final Pattern ALTERNATE = Pattern.compile("\\(\\d+\\)$");

    private final String program;
    private final Duration timeout;

    /**
     * @param program {@code pocketsphinx_continuous}, a path or a name on PATH
     * @param timeout longest time one recording may take, 1 s..24 h
     */
    public PocketSphinxTranscriber(String program, Duration timeout) {
        this.program = Objects.requireNonNull(program, "program must not be null");
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("timeout must be in 1s..24h; timeout=" + timeout);
        }
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "pocketsphinx";
    }

    @Override
    public Transcript transcribe(Path wav16kMono) {
        Tools.Result run = Tools.run(
                List.of(program, "-infile", wav16kMono.toString(), "-time", "yes", "-logfn", "/dev/null"),
                timeout,
                "pocketsphinx_continuous",
                "install Debian's pocketsphinx and pocketsphinx-en-us packages (deploy/omnirag does) or set "
                        + "omnirag.asr.pocketsphinx-path");
        if (run.exitCode() != 0) {
            throw new MediaException.NonRetriable("speech recognition failed (pocketsphinx exit code " + run.exitCode()
                    + "): " + Tools.lastLines(run.output(), 2));
        }
        return parse(run.output());
    }

    /** Reads {@code pocketsphinx_continuous -time yes} output. */
    static Transcript parse(String output) {
        List<Transcript.Segment> segments = new ArrayList<>();
        List<Transcript.Word> words = new ArrayList<>();
        long segmentStart = -1;
        long lastEnd = 0;
        for (String line : output.lines().map(String::strip).toList()) {
            Matcher m = WORD_LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String token = m.group(1);
            long start = Math.round(Double.parseDouble(m.group(2)) * 1000);
            long end = Math.max(start, Math.round(Double.parseDouble(m.group(3)) * 1000));
            switch (token) {
                case "<s>" -> {
                    words = new ArrayList<>();
                    segmentStart = start;
                }
                case "</s>" -> {
                    if (!words.isEmpty()) {
                        long from = Math.max(
                                lastEnd, segmentStart < 0 ? words.getFirst().startMs() : segmentStart);
                        long to = Math.max(from, end);
                        segments.add(new Transcript.Segment(from, to, join(words), words));
                        lastEnd = to;
                    }
                    words = new ArrayList<>();
                    segmentStart = -1;
                }
                default -> {
                    if (token.startsWith("<") || token.startsWith("[") || token.startsWith("++")) {
                        continue; // <sil>, [NOISE], ++UM++ fillers
                    }
                    words.add(new Transcript.Word(ALTERNATE.matcher(token).replaceFirst(""), start, end));
                }
            }
        }
        if (!words.isEmpty()) {
            long from = Math.max(lastEnd, words.getFirst().startMs());
            segments.add(
                    new Transcript.Segment(from, Math.max(from, words.getLast().endMs()), join(words), words));
        }
        return new Transcript(segments);
    }

    private static String join(List<Transcript.Word> words) {
        return String.join(" ", words.stream().map(Transcript.Word::text).toList());
    }

    @Override
    public String toString() {
        return "PocketSphinxTranscriber[" + program + ", timeout " + timeout.toSeconds() + " s]";
    }
}
