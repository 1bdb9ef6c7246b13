package dev.omnirag.server.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scale benchmark's command line: a million chunks by default, bounds that name the option and value. */
class ScaleBenchmarkOptionsTest {

    @Test
    void defaultsAreAMillionChunksSearchedByOneAndEightClients() {
        ScaleBenchmark.Options o = ScaleBenchmark.parse(new String[0]);
        assertThat(o.chunks()).isEqualTo(1_000_000);
        assertThat(o.clients()).containsExactly(1, 8);
        assertThat(o.noise()).isEqualTo(0.02);
        assertThat(o.chunksPerDocument()).isEqualTo(10);
        assertThat(o.home()).isNull();
        assertThat(o.jar()).isEqualTo(Path.of("src/target/quarkus-app/quarkus-run.jar"));
    }

    @Test
    void everyOptionIsRead() {
        ScaleBenchmark.Options o = ScaleBenchmark.parse(new String[] {
            "--chunks",
            "20000",
            "--clients",
            "2, 4",
            "--duration",
            "10s",
            "--warmup",
            "5s",
            "--chunks-per-document",
            "4",
            "--seed",
            "7",
            "--jar",
            "/tmp/app/quarkus-run.jar",
            "--noise",
            "0.03",
            "--drop",
            "0.1",
            "--threads",
            "1",
            "--home",
            "/tmp/h",
            "--keep",
            "--vector-cache",
            "/tmp/v"
        });
        assertThat(o.chunks()).isEqualTo(20_000);
        assertThat(o.clients()).isEqualTo(List.of(2, 4));
        assertThat(o.duration()).isEqualTo("10s");
        assertThat(o.warmup()).isEqualTo("5s");
        assertThat(o.chunksPerDocument()).isEqualTo(4);
        assertThat(o.seed()).isEqualTo(7);
        assertThat(o.jar()).isEqualTo(Path.of("/tmp/app/quarkus-run.jar"));
        assertThat(o.noise()).isEqualTo(0.03);
        assertThat(o.drop()).isEqualTo(0.1);
        assertThat(o.threads()).isEqualTo(1);
        assertThat(o.home()).isEqualTo(Path.of("/tmp/h"));
        assertThat(o.keep()).isTrue();
        assertThat(o.vectorCache()).isEqualTo(Path.of("/tmp/v"));
    }

    @Test
    void outOfRangeOrUnknownOptionsAreRefusedByName() {
        assertThatThrownBy(() -> ScaleBenchmark.parse(new String[] {"--chunks", "10"}))
                .hasMessage("chunks must be in 1000..5000000; chunks=10");
        assertThatThrownBy(() -> ScaleBenchmark.parse(new String[] {"--clients", "0"}))
                .hasMessageContaining("clients must be numbers in 1..256");
        assertThatThrownBy(() -> ScaleBenchmark.parse(new String[] {"--drop", "1"}))
                .hasMessage("drop must be in [0, 1); drop=1.0");
        assertThatThrownBy(() -> ScaleBenchmark.parse(new String[] {"--chunk", "5"}))
                .hasMessage("unknown option(s) [chunk]");
    }
}
