package dev.omnirag.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes audio with the {@code ffmpeg} program (Debian's {@code ffmpeg} package: WAV, FLAC, MP3, OGG/Vorbis,
 * Opus, M4A/AAC and more) to 16 kHz mono signed 16-bit WAV. WAV input is checked with {@link WavIntegrity}
 * first. ffmpeg runs as a separate process with a time limit, so a hostile file cannot take the server's
 * memory, and decoding stops at {@code maxDuration}; a longer recording fails with a reason rather than being
 * cut silently. Immutable and thread safe.
 *
 * <p>Every ffmpeg and ffprobe call names the demuxer of the detected type ({@code -f mp3}, never ffmpeg's own
 * guess) and may open local files only ({@code -protocol_whitelist file}): left to guess, ffmpeg reads an HLS
 * playlist or a concat list hidden behind an ID3 header and follows it to other files on the server, whose sound
 * would then be transcribed into the uploader's collection. Playlist, concat and image-sequence demuxers are never
 * named.
 */
public final class FfmpegAudioDecoder implements AudioDecoder {

    /**
     * The demuxer for each audio type the detector names: containers of sound only, none that opens other files.
     */
    private static final Map<String, String> DEMUXERS = Map.ofEntries(
            Map.entry("audio/mpeg", "mp3"),
            Map.entry("audio/mp3", "mp3"),
            Map.entry("audio/x-mpeg", "mp3"),
            Map.entry("audio/wav", "wav"),
            Map.entry("audio/x-wav", "wav"),
            Map.entry("audio/vnd.wave", "wav"),
            Map.entry("audio/wave", "wav"),
            Map.entry("audio/flac", "flac"),
            Map.entry("audio/x-flac", "flac"),
            Map.entry("audio/ogg", "ogg"),
            Map.entry("audio/vorbis", "ogg"),
            Map.entry("audio/opus", "ogg"),
            Map.entry("audio/x-ogg", "ogg"),
            Map.entry("application/ogg", "ogg"),
            Map.entry("audio/x-oggflac", "ogg"),
            Map.entry("audio/mp4", "mov"),
            Map.entry("audio/x-m4a", "mov"),
            Map.entry("audio/m4a", "mov"),
            Map.entry("video/mp4", "mov"),
            Map.entry("video/quicktime", "mov"),
            Map.entry("audio/3gpp", "mov"),
            Map.entry("audio/aac", "aac"),
            Map.entry("audio/x-aac", "aac"),
            Map.entry("audio/x-aiff", "aiff"),
            Map.entry("audio/aiff", "aiff"),
            Map.entry("audio/basic", "au"),
            Map.entry("audio/amr", "amr"),
            Map.entry("audio/x-matroska", "matroska"),
            Map.entry("audio/webm", "matroska"),
            Map.entry("video/x-matroska", "matroska"),
            Map.entry("video/webm", "matroska"),
            Map.entry("audio/x-caf", "caf"),
            Map.entry("audio/x-wavpack", "wv"),
            Map.entry("audio/x-ape", "ape"),
            Map.entry("audio/x-ms-wma", "asf"));

    /** The largest subtitle track read, as WebVTT; a larger one is not read (the speech is recognised instead). */
    static final long MAX_SUBTITLE_BYTES = 16L * 1024 * 1024;

    /** A line of ffprobe's flat output that holds a tag: {@code format.tags.title="..."}. */
    private static final Pattern TAG_LINE =
            Pattern.compile("^(?:format|streams\\.stream\\.\\d+)\\.tags\\.([^=]+)=\"(.*)\"$");

    private final String ffmpeg;
    private final String ffprobe;
    private final Duration maxDuration;
    private final Duration timeout;

    /**
     * @param ffmpeg the program, a path or a name on PATH
     * @param maxDuration longest recording accepted, 1 s..24 h
     * @param timeout longest time decoding may take, 1 s..24 h
     */
    public FfmpegAudioDecoder(String ffmpeg, Duration maxDuration, Duration timeout) {
        this(ffmpeg, "ffprobe", maxDuration, timeout);
    }

    /**
     * @param ffmpeg the program, a path or a name on PATH
     * @param ffprobe ffmpeg's probe program (reads tags), a path or a name on PATH
     * @param maxDuration longest recording accepted, 1 s..24 h
     * @param timeout longest time decoding may take, 1 s..24 h
     */
    public FfmpegAudioDecoder(String ffmpeg, String ffprobe, Duration maxDuration, Duration timeout) {
        this.ffmpeg = Objects.requireNonNull(ffmpeg, "ffmpeg must not be null");
        this.ffprobe = Objects.requireNonNull(ffprobe, "ffprobe must not be null");
        if (maxDuration.compareTo(Duration.ofSeconds(1)) < 0 || maxDuration.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("maxDuration must be in 1s..24h; maxDuration=" + maxDuration);
        }
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("timeout must be in 1s..24h; timeout=" + timeout);
        }
        this.maxDuration = maxDuration;
        this.timeout = timeout;
    }

    /** The ffmpeg demuxer that reads {@code mediaType}, or empty when this decoder does not read it. */
    public static Optional<String> demuxer(String mediaType) {
        if (mediaType == null) {
            return Optional.empty();
        }
        String base = mediaType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(DEMUXERS.get(base));
    }

    @Override
    public long decode(Path input, String mediaType, Path output) {
        String format = demuxer(mediaType)
                .orElseThrow(() -> new MediaException.NonRetriable("audio of type " + mediaType
                        + " cannot be decoded (supported: " + new TreeSet<>(DEMUXERS.keySet()) + ")"));
        try {
            if (Files.size(input) == 0) {
                throw new MediaException.NonRetriable("the audio file is empty (0 bytes)");
            }
            if (WavIntegrity.isWav(input)) {
                var problem = WavIntegrity.problem(input);
                if (problem.isPresent()) {
                    throw new MediaException.NonRetriable(problem.get());
                }
            }
        } catch (IOException e) {
            throw new MediaException.Retriable("cannot read " + input + ": " + e.getMessage(), e);
        }
        // One second more than allowed: a decoded length above the limit proves the recording is too long.
        long limitSeconds = maxDuration.toSeconds() + 1;
        List<String> command = reading(format, input, "-xerror");
        command.addAll(List.of(
                "-t",
                Long.toString(limitSeconds),
                "-vn",
                "-sn",
                "-dn",
                "-ac",
                "1",
                "-ar",
                "16000",
                "-sample_fmt",
                "s16",
                "-f",
                "wav",
                "file:" + output));
        Tools.Result run = Tools.run(
                command,
                timeout,
                "ffmpeg",
                "install Debian's ffmpeg package (deploy/omnirag does) or set omnirag.asr.ffmpeg-path");
        if (run.exitCode() != 0) {
            // ffmpeg names the input by its path: a server path is no part of the reason a user reads.
            String reason = Tools.lastLines(run.output(), 2)
                    .replace("file:" + input + ": ", "")
                    .replace(input.toString() + ": ", "")
                    .replace("file:" + input, "the file")
                    .replace(input.toString(), "the file");
            throw new MediaException.NonRetriable("the audio cannot be decoded: " + reason);
        }
        long bytes;
        try {
            bytes = Files.size(output) - 44;
        } catch (IOException e) {
            throw new MediaException.Retriable("ffmpeg wrote no output: " + e.getMessage(), e);
        }
        if (bytes <= 0) {
            throw new MediaException.NonRetriable("the file holds no audio");
        }
        long ms = bytes * 1000 / (16_000 * 2);
        if (ms > maxDuration.toMillis()) {
            throw new MediaException.NonRetriable(
                    "the recording is longer than " + maxDuration.toMinutes() + " minutes, the longest accepted");
        }
        return ms;
    }

    /** Subtitle codecs that are text (the others are pictures: a DVD's, a Blu-ray's). */
    private static final java.util.Set<String> TEXT_SUBTITLES =
            java.util.Set.of("mov_text", "subrip", "srt", "webvtt", "ass", "ssa", "text");

    /** A line of ffprobe's flat output about a stream: {@code streams.stream.0.disposition.forced=0}. */
    private static final Pattern STREAM_LINE =
            Pattern.compile("^streams\\.stream\\.(\\d+)\\.([a-z_.]+)=\"?([^\"]*)\"?$");

    /**
     * The subtitle stream to read, as an ffmpeg {@code -map} ({@code 0:3}): of the text subtitle streams that are not
     * forced (a forced track holds only the lines in another language), the one marked default, else the first; empty
     * when there is none. When ffprobe cannot tell, the first subtitle stream ({@code 0:s:0}).
     */
    private Optional<String> subtitleStream(Path input, String format, Duration limit) {
        Tools.Result run;
        try {
            run = probe(
                    format,
                    input,
                    limit,
                    "-select_streams",
                    "s",
                    "-show_entries",
                    "stream=index,codec_name:stream_disposition=default,forced");
        } catch (MediaException e) {
            return Optional.of("0:s:0");
        }
        if (run.exitCode() != 0) {
            return Optional.of("0:s:0");
        }
        java.util.TreeMap<Integer, Map<String, String>> streams = new java.util.TreeMap<>();
        for (String line : run.output().split("\n")) {
            Matcher m = STREAM_LINE.matcher(line.strip());
            if (m.matches()) {
                streams.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new java.util.HashMap<>())
                        .put(m.group(2), m.group(3));
            }
        }
        List<Map<String, String>> text = streams.values().stream()
                .filter(st -> TEXT_SUBTITLES.contains(st.getOrDefault("codec_name", "")))
                .filter(st -> !"1".equals(st.get("disposition.forced")))
                .filter(st -> st.containsKey("index"))
                .toList();
        return text.stream()
                .filter(st -> "1".equals(st.get("disposition.default")))
                .findFirst()
                .or(() -> text.stream().findFirst())
                .map(st -> "0:" + st.get("index"));
    }

    /**
     * Runs ffprobe on {@code input} read as {@code format} only, from local files only, with {@code options}, its output
     * in the flat format ({@code streams.stream.0.index=2}).
     */
    private Tools.Result probe(String format, Path input, Duration limit, String... options) {
        List<String> command =
                new java.util.ArrayList<>(List.of(ffprobe, "-v", "error", "-protocol_whitelist", "file", "-f", format));
        command.addAll(List.of(options));
        command.addAll(List.of("-of", "flat", "file:" + input));
        return Tools.run(command, limit, "ffprobe", "install Debian's ffmpeg package or set omnirag.asr.ffprobe-path");
    }

    /**
     * The start of an ffmpeg command that reads {@code input} as {@code format} only, from local files only, quietly,
     * overwriting its output; {@code options} come before the input.
     */
    private List<String> reading(String format, Path input, String... options) {
        List<String> command =
                new java.util.ArrayList<>(List.of(ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error"));
        command.addAll(List.of(options));
        command.addAll(List.of("-y", "-protocol_whitelist", "file", "-f", format, "-i", "file:" + input));
        return command;
    }

    /** Reads the tags with {@code ffprobe -f <demuxer> -show_entries format_tags:stream_tags -of flat}. */
    @Override
    public Map<String, String> tags(Path input, String mediaType) {
        var format = demuxer(mediaType);
        if (format.isEmpty()) {
            return Map.of();
        }
        Tools.Result run;
        try {
            Duration limit = timeout.compareTo(Duration.ofSeconds(60)) < 0 ? timeout : Duration.ofSeconds(60);
            run = probe(format.get(), input, limit, "-show_entries", "format_tags:stream_tags");
        } catch (MediaException e) {
            return Map.of();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        if (run.exitCode() != 0) {
            return tags;
        }
        for (String line : run.output().split("\n")) {
            Matcher m = TAG_LINE.matcher(line.strip());
            if (m.matches()) {
                tags.putIfAbsent(m.group(1).toLowerCase(Locale.ROOT), unescape(m.group(2)));
            }
        }
        return tags;
    }

    /**
     * Converts the subtitle stream {@link #subtitleStream} chooses with {@code ffmpeg -f <demuxer> -i <file> -map 0:N
     * -f webvtt}: a stream of pictures cannot be written as WebVTT, and no stream is an error too; either way there
     * are no subtitles to read.
     * A track of {@value #MAX_SUBTITLE_BYTES} bytes or more is not read.
     */
    @Override
    public Optional<String> subtitles(Path input, String mediaType) {
        var format = demuxer(mediaType);
        if (format.isEmpty()) {
            return Optional.empty();
        }
        Duration limit = timeout.compareTo(Duration.ofSeconds(60)) < 0 ? timeout : Duration.ofSeconds(60);
        Optional<String> stream = subtitleStream(input, format.get(), limit);
        if (stream.isEmpty()) {
            return Optional.empty();
        }
        Path vtt = null;
        try {
            vtt = Files.createTempFile("omnirag-subtitles", ".vtt");
            List<String> command = reading(format.get(), input);
            // Bounded: a small file can hold a huge track (compressed, or samples that repeat the same bytes).
            command.addAll(List.of(
                    "-map", stream.get(), "-f", "webvtt", "-fs", Long.toString(MAX_SUBTITLE_BYTES), "file:" + vtt));
            Tools.Result run = Tools.run(
                    command,
                    limit,
                    "ffmpeg",
                    "install Debian's ffmpeg package (deploy/omnirag does) or set omnirag.asr.ffmpeg-path");
            if (run.exitCode() != 0 || Files.size(vtt) == 0 || Files.size(vtt) >= MAX_SUBTITLE_BYTES - 65_536) {
                // empty, or cut off at the limit (ffmpeg stops near it)
                return Optional.empty();
            }
            String text = Files.readString(vtt, java.nio.charset.StandardCharsets.UTF_8);
            return Subtitles.looksLikeSubtitles(text) ? Optional.of(text) : Optional.empty();
        } catch (IOException | MediaException e) {
            return Optional.empty();
        } finally {
            if (vtt != null) {
                try {
                    Files.deleteIfExists(vtt);
                } catch (IOException ignored) {
                    // a temp file; the OS cleans up
                }
            }
        }
    }

    /**
     * Undoes the flat writer's escapes: backslash-n, -r and -t are a newline, carriage return and tab; a backslash
     * before any other character stands for that character.
     */
    private static String unescape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char next = value.charAt(++i);
                out.append(
                        switch (next) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            default -> next;
                        });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
