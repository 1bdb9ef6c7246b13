package dev.omnirag.server.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The load tool's command line: loopback only, bounded, and validation that names the option and value. */
class LoadTestOptionsTest {

    @Test
    void acceptsLoopbackUrlsOnly() {
        LoadTest.requireLoopback(URI.create("http://127.0.0.1:8080"));
        LoadTest.requireLoopback(URI.create("http://localhost:8080"));
        LoadTest.requireLoopback(URI.create("http://[::1]:8080"));
        assertThatThrownBy(() -> LoadTest.requireLoopback(URI.create("http://10.1.2.3:8080")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback")
                .hasMessageContaining("10.1.2.3");
        assertThatThrownBy(() -> LoadTest.requireLoopback(URI.create("http://8.8.8.8")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoadTest.requireLoopback(URI.create("file:///etc/passwd")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url must be http");
    }

    @Test
    void parsesEveryOptionWithDefaults() {
        LoadTest.Options o = LoadTest.parse(new String[] {
            "--url",
            "http://127.0.0.1:9000/",
            "--collection",
            "cranfield",
            "--clients",
            "7",
            "--duration",
            "90s",
            "--max-requests",
            "500",
            "--ask-ratio",
            "0.5",
            "--key",
            "k1",
            "--warm-up",
            "15s"
        });
        assertThat(o.warmUp()).isEqualTo(Duration.ofSeconds(15));
        assertThat(o.url()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(o.clients()).isEqualTo(7);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(o.maxRequests()).isEqualTo(500);
        assertThat(o.askRatio()).isEqualTo(0.5);
        assertThat(o.key()).isEqualTo("k1");
        assertThat(o.setupCranfield()).isFalse();
        LoadTest.Options d = LoadTest.parse(new String[] {"--collection", "c", "--setup-cranfield"});
        assertThat(d.clients()).isEqualTo(50);
        assertThat(d.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.askRatio()).isEqualTo(0.2);
        assertThat(d.setupCranfield()).isTrue();
        assertThat(d.warmUp()).as("no warm-up unless asked").isZero();
        assertThat(LoadTest.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(LoadTest.duration("1500ms")).isEqualTo(Duration.ofMillis(1500));
        assertThat(LoadTest.duration("45")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void rejectsUnboundedOrInvalidSettingsNamingTheValue() {
        assertThatThrownBy(() -> LoadTest.parse(new String[] {"--collection", "c", "--clients", "0"}))
                .hasMessage("clients must be in 1..1000; clients=0");
        assertThatThrownBy(() -> LoadTest.parse(new String[] {"--collection", "c", "--duration", "2h"}))
                .hasMessage("duration must be in 1s..1h; duration=PT2H");
        assertThatThrownBy(() -> LoadTest.parse(new String[] {"--collection", "c", "--warm-up", "1h"}))
                .hasMessage("warm-up must be in 0s..10m; warm-up=PT1H");
        assertThatThrownBy(() -> LoadTest.parse(new String[] {"--collection", "c", "--ask-ratio", "1.5"}))
                .hasMessage("ask-ratio must be in 0..1; ask-ratio=1.5");
        assertThatThrownBy(() -> LoadTest.parse(new String[] {"--collection", "c", "--clients", "many"}))
                .hasMessage("--clients needs a number; --clients=many");
        assertThatThrownBy(() -> LoadTest.parse(new String[] {"--clients", "5"}))
                .hasMessageContaining("collection is required");
        assertThatThrownBy(
                        () -> LoadTest.parse(new String[] {"--collection", "c", "--key", "k", "--admin-key-file", "f"}))
                .hasMessageContaining("not both");
    }

    @Test
    void percentilesAreNearestRank() {
        long[] micros = new long[100];
        for (int i = 0; i < 100; i++) {
            micros[i] = (i + 1) * 1000L;
        }
        assertThat(LoadTest.percentile(micros, 50)).isEqualTo(50.0);
        assertThat(LoadTest.percentile(micros, 95)).isEqualTo(95.0);
        assertThat(LoadTest.percentile(micros, 99)).isEqualTo(99.0);
        assertThat(LoadTest.percentile(new long[] {7000}, 99)).isEqualTo(7.0);
        assertThat(LoadTest.percentile(new long[0], 50)).isNaN();
    }
}
