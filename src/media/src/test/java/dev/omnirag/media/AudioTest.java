package dev.omnirag.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ffmpeg decoding and PocketSphinx recognition (the real Debian programs) on shared/media/audio/jfk.wav. */
class AudioTest {

    private final FfmpegAudioDecoder decoder =
            new FfmpegAudioDecoder("ffmpeg", Duration.ofMinutes(30), Duration.ofMinutes(5));

    @TempDir
    Path dir;

    @Test
    void jfkIsDecodedAndHeardWithTimestamps() {
        Path wav = dir.resolve("jfk-16k.wav");
        long ms = decoder.decode(SharedData.file("media/audio/jfk.wav"), "audio/vnd.wave", wav);
        assertThat(ms).isBetween(10_900L, 11_100L);

        Transcript transcript =
                new PocketSphinxTranscriber("pocketsphinx_continuous", Duration.ofMinutes(5)).transcribe(wav);

        Transcript.Segment country = transcript.segments().stream()
                .filter(s -> s.text().contains("your country"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("not heard: " + transcript));
        assertThat(country.text()).contains("what your country can do for you");
        assertThat(country.startMs()).isBetween(3_000L, 9_000L);
        assertThat(country.words()).extracting(Transcript.Word::text).contains("country");
        assertThat(country.words())
                .allSatisfy(w -> assertThat(w.startMs()).isBetween(country.startMs(), country.endMs()));
    }

    @Test
    void tagsOfMp3AndOggAreReadWithTheirSpecialCharacters() throws Exception {
        Path mp3 = dir.resolve("tagged.mp3");
        Path ogg = dir.resolve("tagged.ogg");
        String title = "Say \"ask not\" $now `quoted` back\\slash = ; #";
        for (Path out : new Path[] {mp3, ogg}) {
            Process p = new ProcessBuilder(
                            "ffmpeg",
                            "-nostdin",
                            "-loglevel",
                            "error",
                            "-y",
                            "-f",
                            "lavfi",
                            "-i",
                            "anullsrc=r=16000:cl=mono",
                            "-t",
                            "1",
                            "-metadata",
                            "title=" + title,
                            "-metadata",
                            "comment=two\nlines",
                            "-metadata",
                            "artist=Tester",
                            out.toString())
                    .redirectErrorStream(true)
                    .start();
            String log = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(log).isZero();
        }
        for (Path file : new Path[] {mp3, ogg}) {
            var tags = decoder.tags(file, file == mp3 ? "audio/mpeg" : "audio/ogg");
            assertThat(tags)
                    .as(file.toString())
                    .containsEntry("title", title)
                    .containsEntry("artist", "Tester")
                    .containsEntry("comment", "two\nlines");
        }
        assertThat(decoder.tags(dir.resolve("missing.mp3"), "audio/mpeg")).isEmpty();
        assertThat(new FfmpegAudioDecoder("ffmpeg", "no-such-ffprobe", Duration.ofMinutes(1), Duration.ofMinutes(1))
                        .tags(mp3, "audio/mpeg"))
                .isEmpty();
    }

    @Test
    void aTruncatedWavFailsWithAReason() throws IOException {
        byte[] jfk = Files.readAllBytes(SharedData.file("media/audio/jfk.wav"));
        Path cut = Files.write(dir.resolve("cut.wav"), Arrays.copyOf(jfk, jfk.length / 3));
        assertThatThrownBy(() -> decoder.decode(cut, "audio/vnd.wave", dir.resolve("out.wav")))
                .isInstanceOf(MediaException.NonRetriable.class)
                .hasMessageContaining("truncated");
        Path header = Files.write(dir.resolve("header.wav"), Arrays.copyOf(jfk, 30));
        assertThatThrownBy(() -> decoder.decode(header, "audio/vnd.wave", dir.resolve("out2.wav")))
                .isInstanceOf(MediaException.NonRetriable.class)
                .hasMessageContaining("too short for a WAV header");
    }

    @Test
    void noiseThatIsNotAudioFailsAndTooLongRecordingsAreRefused() throws IOException {
        byte[] junk = new byte[4000];
        new java.util.Random(3).nextBytes(junk);
        Path bad = Files.write(dir.resolve("junk.mp3"), junk);
        assertThatThrownBy(() -> decoder.decode(bad, "audio/mpeg", dir.resolve("o.wav")))
                .isInstanceOf(MediaException.NonRetriable.class)
                .hasMessageContaining("cannot be decoded");
        FfmpegAudioDecoder shortLimit = new FfmpegAudioDecoder("ffmpeg", Duration.ofSeconds(5), Duration.ofMinutes(1));
        assertThatThrownBy(() -> shortLimit.decode(
                        SharedData.file("media/audio/jfk.wav"), "audio/vnd.wave", dir.resolve("o2.wav")))
                .isInstanceOf(MediaException.NonRetriable.class)
                .hasMessageContaining("longer than");
    }

    @Test
    void aMissingProgramSaysHowToInstallIt() {
        assertThatThrownBy(
                        () -> new PocketSphinxTranscriber("/nonexistent/pocketsphinx_continuous", Duration.ofSeconds(5))
                                .transcribe(dir.resolve("x.wav")))
                .isInstanceOf(MediaException.Misconfigured.class)
                .hasMessageContaining("pocketsphinx-en-us");
    }

    @Test
    void pocketSphinxOutputIsParsedIntoSegmentsWithoutFillers() {
        Transcript t = PocketSphinxTranscriber.parse("""
                and not
                <s> 3.170 3.280 1.000300
                and(2) 3.290 3.730 0.985603
                <sil> 3.740 3.980 0.828680
                not 3.990 4.300 0.817730
                </s> 4.310 4.760 1.000000
                what your country
                <s> 5.300 5.340 0.999200
                what 5.350 5.600 0.285662
                [NOISE] 5.600 5.605 0.1
                your 5.610 5.850 0.709042
                country 5.860 6.420 0.473555
                </s> 7.680 7.950 1.000000
                """);
        assertThat(t.segments()).hasSize(2);
        assertThat(t.segments().get(0).text()).isEqualTo("and not");
        assertThat(t.segments().get(0).startMs()).isEqualTo(3170);
        assertThat(t.segments().get(1).text()).isEqualTo("what your country");
        assertThat(t.segments().get(1).endMs()).isEqualTo(7950);
        assertThat(t.segments().get(1).words().get(2)).isEqualTo(new Transcript.Word("country", 5860, 6420));
    }
}
