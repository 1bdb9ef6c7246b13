package dev.omnirag.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caption files as Teams, Zoom, YouTube and film subtitlers write them, and a video's subtitle track. */
class SubtitlesTest {

    @TempDir
    Path dir;

    @Test
    void aTeamsTranscriptsVoiceTagsNameTheSpeakerOfEachCue() {
        Subtitles s = Subtitles.parse("""
                WEBVTT

                0f3c5e2a-1/12-0
                00:00:03.120 --> 00:00:06.480
                <v Ada Lovelace>Good morning, let's start with the budget.</v>

                NOTE the review was moved

                1a2b-2/3-0
                00:01:12.500 --> 00:01:15.750
                <v.loud Charles Babbage>Can we keep the travel limit at 5,000 &amp; no more?</v>
                """);
        assertThat(s.cues())
                .containsExactly(
                        new Subtitles.Cue(3_120, 6_480, "Ada Lovelace", "Good morning, let's start with the budget."),
                        new Subtitles.Cue(
                                72_500, 75_750, "Charles Babbage", "Can we keep the travel limit at 5,000 & no more?"));
    }

    @Test
    void zoomsNamesBeforeAColonBecomeSpeakersButAFewNotesStayText() {
        Subtitles zoom = Subtitles.parse("""
                WEBVTT

                1
                00:00:01.000 --> 00:00:04.000
                Marek Nowak: The flutter test is on Tuesday.

                2
                00:00:04.500 --> 00:00:07.000
                Jan van der Berg: I will book&#9;the tunnel.
                """);
        assertThat(zoom.cues())
                .extracting(Subtitles.Cue::speaker, Subtitles.Cue::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Marek Nowak", "The flutter test is on Tuesday."),
                        org.assertj.core.groups.Tuple.tuple("Jan van der Berg", "I will book the tunnel."));
        Subtitles film = Subtitles.parse("""
                1
                00:00:01,000 --> 00:00:02,000
                Note: the bridge is closed.

                2
                00:00:03,000 --> 00:00:04,000
                We take the ferry.

                3
                00:00:05,000 --> 00:00:06,000
                It leaves at noon.
                """);
        assertThat(film.cues()).extracting(Subtitles.Cue::speaker).containsOnlyNulls();
        assertThat(film.cues().getFirst().text()).isEqualTo("Note: the bridge is closed.");
    }

    @Test
    void rollingCaptionsKeepEachLineOnceAtTheTimeItFirstShows() {
        // YouTube's automatic captions: each cue repeats the line before it, with karaoke timestamps and a line
        // holding one space.
        Subtitles s = Subtitles.parse("WEBVTT\nKind: captions\nLanguage: en\n\n"
                + "00:00:00.000 --> 00:00:02.310 align:start position:0%\n \n"
                + "hello<00:00:00.320><c> and</c><00:00:00.640><c> welcome</c>\n\n"
                + "00:00:02.310 --> 00:00:02.320 align:start position:0%\nhello and welcome\n \n\n"
                + "00:00:02.320 --> 00:00:05.000 align:start position:0%\nhello and welcome\n"
                + "today<00:00:02.800><c> we</c><c> talk</c> about turbulence\n");
        assertThat(s.cues())
                .containsExactly(
                        new Subtitles.Cue(0, 2_310, null, "hello and welcome"),
                        new Subtitles.Cue(2_320, 5_000, null, "today we talk about turbulence"));
    }

    @Test
    void twoSpeakersSayingTheSameAreBothHeardAndOddInputIsNoTextNorTrouble() {
        Subtitles s = Subtitles.parse("""
                WEBVTT

                00:00:01.000 --> 00:00:02.000
                <v Ada>Yes.</v>

                00:00:02.000 --> 00:00:03.000
                <v Bob>Yes.</v>

                00:00:03.000 --> 00:00:04.000
                <v Bob>Bell&#0;s&#xD800; ring.</v>

                123456789:00:00.000 --> 123456789:00:01.000
                an hour count no caption has
                """);
        assertThat(s.cues())
                .extracting(Subtitles.Cue::speaker, Subtitles.Cue::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Ada", "Yes."),
                        org.assertj.core.groups.Tuple.tuple("Bob", "Yes."),
                        org.assertj.core.groups.Tuple.tuple("Bob", "Bells ring."));
        // A colon after an ordinary phrase is no speaker's name, however often it comes.
        Subtitles phrases = Subtitles.parse("1\n00:00:01,000 --> 00:00:02,000\nThe reason is simple: cost.\n\n"
                + "2\n00:00:03,000 --> 00:00:04,000\nThe answer was clear: no.\n");
        assertThat(phrases.cues()).extracting(Subtitles.Cue::speaker).containsOnlyNulls();
    }

    @Test
    void subRipWithMarkupCarriageReturnsAndNoBlankLinesIsRead() {
        Subtitles s = Subtitles.parse("\uFEFF1\r\n00:00:01,000 --> 00:00:03,500\r\n<i>Previously:</i>\r\n"
                + "2\r\n00:00:04,000 --> 00:00:06,000\r\n{\\an8}The hull was <font color=\"red\">cracked</font>\r\n"
                + "below the waterline.\r\n\r\n3\r\n01:02:03,5 --> 01:02:01,000\r\nLate line\r\n");
        assertThat(s.cues())
                .containsExactly(
                        new Subtitles.Cue(1_000, 3_500, null, "Previously:"),
                        new Subtitles.Cue(4_000, 6_000, null, "The hull was cracked below the waterline."),
                        new Subtitles.Cue(3_723_500, 3_723_500, null, "Late line"));
        assertThat(Subtitles.looksLikeSubtitles("just some text\nwith lines")).isFalse();
        assertThat(Subtitles.parse("WEBVTT\n\nNOTE nothing here\n").cues()).isEmpty();
    }

    @Test
    void aVideosSubtitleTrackIsReadAsWebVtt() throws Exception {
        Path srt = Files.writeString(
                dir.resolve("film.srt"),
                "1\n00:00:01,000 --> 00:00:03,000\nThe hull was cracked.\n\n"
                        + "2\n00:00:04,000 --> 00:00:06,000\nBelow the waterline.\n");
        Path mp4 = dir.resolve("clip.mp4");
        Path mkv = dir.resolve("clip.mkv");
        Path bare = dir.resolve("bare.m4a");
        video(mp4, "aac", "mov_text", List.of(srt));
        video(mkv, "libvorbis", "srt", List.of(srt));
        run("-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", bare.toString());
        FfmpegAudioDecoder decoder = new FfmpegAudioDecoder("ffmpeg", Duration.ofMinutes(5), Duration.ofMinutes(1));
        for (var video : List.of(List.of(mp4, "video/mp4"), List.of(mkv, "video/x-matroska"))) {
            String vtt = decoder.subtitles((Path) video.get(0), (String) video.get(1))
                    .orElseThrow(() -> new AssertionError("no subtitles read from " + video));
            List<Subtitles.Cue> cues = Subtitles.parse(vtt).cues();
            assertThat(cues)
                    .as(video.toString())
                    .extracting(Subtitles.Cue::text)
                    .containsExactly("The hull was cracked.", "Below the waterline.");
            // Matroska's track may start a few ms late (the audio codec's delay).
            assertThat(cues.get(1).startMs()).as(video.toString()).isBetween(4_000L, 4_050L);
            assertThat(cues.get(1).endMs()).as(video.toString()).isBetween(6_000L, 6_050L);
        }
        // A film with a forced track first (only the lines in another language) and its full captions second.
        Path forced =
                Files.writeString(dir.resolve("forced.srt"), "1\n00:00:02,000 --> 00:00:03,000\n[Spanish] Hola.\n");
        Path both = dir.resolve("two-tracks.mkv");
        video(
                both,
                "libvorbis",
                "srt",
                List.of(forced, srt),
                "-disposition:s:0",
                "forced",
                "-disposition:s:1",
                "default");
        String full = decoder.subtitles(both, "video/x-matroska").orElseThrow();
        assertThat(Subtitles.parse(full).cues())
                .extracting(Subtitles.Cue::text)
                .containsExactly("The hull was cracked.", "Below the waterline.");
        assertThat(decoder.subtitles(bare, "audio/mp4")).isEmpty();
        assertThat(decoder.subtitles(mp4, "text/plain")).isEmpty();
    }

    /** Seven seconds of a tone with {@code tracks} as its subtitle tracks, in order; {@code options} for the output. */
    private static void video(Path out, String audioCodec, String subtitleCodec, List<Path> tracks, String... options)
            throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=7"));
        for (Path track : tracks) {
            args.addAll(List.of("-i", track.toString()));
        }
        args.addAll(List.of("-map", "0:a"));
        for (int t = 1; t <= tracks.size(); t++) {
            args.addAll(List.of("-map", t + ":s"));
        }
        args.addAll(List.of("-c:a", audioCodec, "-c:s", subtitleCodec));
        args.addAll(List.of(options));
        args.add(out.toString());
        run(args.toArray(String[]::new));
    }

    private static void run(String... args) throws Exception {
        List<String> command =
                new java.util.ArrayList<>(List.of("ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("%s: %s", command, log).isZero();
    }
}
