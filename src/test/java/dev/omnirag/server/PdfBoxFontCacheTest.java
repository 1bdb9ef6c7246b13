package dev.omnirag.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PDFBox's index of the machine's fonts is written under the server's home, not into the user's home directory. Run
 * in a JVM of its own: PDFBox reads the setting once per process, when it first looks for a font a PDF did not embed.
 */
class PdfBoxFontCacheTest {

    @Test
    void theFontCacheIsWrittenUnderTheServersHomeAndNotTheUsers(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("omnirag-home");
        Path userHome = Files.createDirectories(tmp.resolve("user-home"));

        String out = run(userHome, home);

        assertThat(out).contains("font lookup done");
        assertThat(home.resolve("cache/pdfbox/.pdfbox.cache")).isNotEmptyFile();
        assertThat(userHome.resolve(".pdfbox.cache")).doesNotExist();
    }

    @Test
    void anOperatorsOwnFontCacheDirectoryIsKept(@TempDir Path tmp) {
        String before = System.getProperty("pdfbox.fontcache");
        try {
            System.setProperty("pdfbox.fontcache", tmp.toString());
            OmniragMain.keepCachesUnder(tmp.resolve("omnirag-home"));
            assertThat(System.getProperty("pdfbox.fontcache")).isEqualTo(tmp.toString());
            assertThat(tmp.resolve("omnirag-home")).doesNotExist();
        } finally {
            if (before == null) {
                System.clearProperty("pdfbox.fontcache");
            } else {
                System.setProperty("pdfbox.fontcache", before);
            }
        }
    }

    private static String run(Path userHome, Path home) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "-Duser.home=" + userHome,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Probe.class.getName(),
                        home.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** Sets the server's caches as its entry point does, then has PDFBox look for a font by name (which indexes the fonts). */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            OmniragMain.keepCachesUnder(Path.of(args[0]));
            org.apache.pdfbox.pdmodel.font.FontMappers.instance().getFontBoxFont("DejaVuSans", null);
            System.out.println("font lookup done");
        }
    }
}
