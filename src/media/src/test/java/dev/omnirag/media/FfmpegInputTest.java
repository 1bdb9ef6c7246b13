package dev.omnirag.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload that claims to be a recording never makes ffmpeg open another file: HLS playlists (absolute path,
 * {@code file:} URL, relative name) and concat lists hidden behind an ID3 header, which the type detector calls
 * {@code audio/mpeg}, are decoded as MP3 only and fail, and their tags are read as MP3 only. Each attack file is
 * first shown to work on ffmpeg left to guess the format, so the test proves the defence, not a harmless input.
 */
class FfmpegInputTest {

    private static final byte[] ID3 = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0};

    private final FfmpegAudioDecoder decoder =
            new FfmpegAudioDecoder("ffmpeg", Duration.ofMinutes(30), Duration.ofMinutes(5));

    @TempDir
    Path dir;

    private Path victimTs;

    @BeforeEach
    void aLocalRecordingTheUploaderMustNotReach() throws Exception {
        victimTs = dir.resolve("victim.ts");
        run(
                "ffmpeg",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-i",
                SharedData.file("media/audio/jfk.wav").toString(),
                "-c:a",
                "mp2",
                "-f",
                "mpegts",
                victimTs.toString());
        Files.copy(SharedData.file("media/audio/jfk.wav"), dir.resolve("victim.wav"));
    }

    private Map<String, Path> attacks() throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("hls, absolute path", hidden("hls-abs.mp3", playlist(victimTs.toString())));
        files.put("hls, file: URL", hidden("hls-url.mp3", playlist("file://" + victimTs)));
        files.put("hls, relative name", hidden("hls-rel.mp3", playlist("victim.ts")));
        files.put("concat, relative name", hidden("concat.mp3", "ffconcat version 1.0\nfile 'victim.wav'\n"));
        return files;
    }

    @Test
    void playlistsAndConcatListsBehindAnId3HeaderAreNeverFollowed() throws Exception {
        for (var attack : attacks().entrySet()) {
            Path out = dir.resolve("out.wav");
            Files.deleteIfExists(out);
            assertThatThrownBy(() -> decoder.decode(attack.getValue(), "audio/mpeg", out))
                    .as(attack.getKey())
                    .isInstanceOf(MediaException.NonRetriable.class)
                    .hasMessageContaining("cannot be decoded");
            assertThat(!Files.exists(out) || Files.size(out) <= 44)
                    .as("%s: no audio written", attack.getKey())
                    .isTrue();
            assertThat(decoder.tags(attack.getValue(), "audio/mpeg"))
                    .as(attack.getKey())
                    .doesNotContainKey("variant_bitrate");
        }
    }

    @Test
    void theAttackFilesAreRealOnFfmpegLeftToGuess() throws Exception {
        // The control: ffmpeg without a forced format follows the HLS playlists to the local recording.
        for (var attack : attacks().entrySet()) {
            if (!attack.getKey().startsWith("hls")) {
                continue;
            }
            Path out = dir.resolve("guessed.wav");
            run(
                    "ffmpeg",
                    "-nostdin",
                    "-loglevel",
                    "error",
                    "-y",
                    "-i",
                    attack.getValue().toString(),
                    "-ac",
                    "1",
                    "-ar",
                    "16000",
                    "-f",
                    "wav",
                    out.toString());
            assertThat(Files.size(out))
                    .as("%s followed by a guessing ffmpeg", attack.getKey())
                    .isGreaterThan(100_000);
        }
    }

    @Test
    void aTypeWithoutAnAudioDemuxerIsRefusedWithAReason() {
        assertThatThrownBy(() -> decoder.decode(victimTs, "application/vnd.apple.mpegurl", dir.resolve("x.wav")))
                .isInstanceOf(MediaException.NonRetriable.class)
                .hasMessageContaining("cannot be decoded")
                .hasMessageContaining("audio/mpeg");
        assertThat(FfmpegAudioDecoder.demuxer("audio/mpeg; charset=x")).contains("mp3");
        assertThat(FfmpegAudioDecoder.demuxer("video/mp4")).contains("mov");
        assertThat(FfmpegAudioDecoder.demuxer("application/x-mpegurl")).isEmpty();
    }

    private static String playlist(String segment) {
        return "#EXTM3U\n#EXT-X-TARGETDURATION:20\n#EXTINF:11,\n" + segment + "\n#EXT-X-ENDLIST\n";
    }

    private Path hidden(String name, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(ID3);
        bytes.write(text.getBytes(StandardCharsets.UTF_8));
        return Files.write(dir.resolve(name), bytes.toByteArray());
    }

    private static void run(String... command) throws Exception {
        Process p =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(log).isZero();
    }
}
