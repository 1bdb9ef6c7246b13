package dev.omnirag.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engines the in-process models run on start without reporting anywhere: ONNX Runtime
 * ({@link OnnxRuntimeEnvironment}) and DJL's tokenizers ({@link HuggingFaceTokenizers}). Each check runs an embedder
 * in a JVM of its own, since both engines decide once per process.
 */
class NoTelemetryTest {

    private static Path tmp;
    private static List<String> probed;

    @BeforeAll
    static void probeOnce(@TempDir Path dir) throws Exception {
        tmp = dir;
        probed = probe(dir);
    }

    /**
     * A process that embeds with the default model leaves none of ONNX Runtime 1.29's telemetry traces: its device
     * identifier ({@code .ses}) and its per-process log ({@code mat-debug-<pid>.log}), which the runtime writes to the
     * temporary directory when its telemetry starts (beside the native libraries the Java binding unpacks there); and the
     * runtime saw the opt-out variable.
     */
    @Test
    void embeddingStartsOnnxRuntimeWithItsTelemetryOff() throws Exception {
        List<String> out = probed;

        try (Stream<Path> left = Files.walk(tmp)) {
            assertThat(left.map(f -> f.getFileName().toString()))
                    .as("files in the process's temporary directory")
                    .noneMatch(n -> n.equals(".ses") || n.startsWith("mat-debug-"));
        }
        assertThat(out).contains("ORT_DISABLE_TELEMETRY=1").anyMatch(l -> l.startsWith("dimensions=384"));
    }

    /** DJL's check-in (instance metadata, then a report on AWS) never ran: it records its time when it does. */
    @Test
    void loadingTheTokenizersSkipsDjlsUsageReport() {
        assertThat(probed).contains("OPT_OUT_TRACKING=true", "djl-last-check-in=0");
    }

    @Test
    void aValueAlreadyInTheEnvironmentIsKept() {
        String name = "OMNIRAG_TEST_" + System.nanoTime();

        assertThat(OnnxRuntimeEnvironment.setNativeVariable(name, "0")).isTrue();
        assertThat(OnnxRuntimeEnvironment.setNativeVariable(name, "1")).isTrue();

        assertThat(nativeVariable(name)).isEqualTo("0");
    }

    /** Runs {@link Probe} in a JVM of its own (the runtime starts once per process), without the variable set. */
    private static List<String> probe(Path tmp) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(
                        java.toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-Djava.io.tmpdir=" + tmp,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Probe.class.getName())
                .redirectErrorStream(true);
        pb.environment().remove(OnnxRuntimeEnvironment.TELEMETRY_VARIABLE);
        pb.environment().remove(HuggingFaceTokenizers.OPT_OUT);
        pb.environment().put("TMPDIR", tmp.toString());
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        return text.lines().toList();
    }

    static String nativeVariable(String name) {
        Linker linker = Linker.nativeLinker();
        var getenv = linker.downcallHandle(
                linker.defaultLookup().find("getenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = (MemorySegment) getenv.invokeExact(arena.allocateFrom(name));
            return value.equals(MemorySegment.NULL)
                    ? null
                    : value.reinterpret(4096).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Embeds one text with the default model and prints what the runtime saw. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            try (OnnxTextEmbedder embedder = OnnxTextEmbedder.bgeSmallEnV15()) {
                System.out.println("dimensions=" + embedder.embedQuery("telemetry").length);
            }
            System.out.println(OnnxRuntimeEnvironment.TELEMETRY_VARIABLE + "="
                    + nativeVariable(OnnxRuntimeEnvironment.TELEMETRY_VARIABLE));
            System.out.println(HuggingFaceTokenizers.OPT_OUT + "=" + System.getProperty(HuggingFaceTokenizers.OPT_OUT));
            java.lang.reflect.Field checkIn =
                    Class.forName("ai.djl.util.Ec2Utils").getDeclaredField("lastCheckIn");
            checkIn.setAccessible(true);
            System.out.println("djl-last-check-in=" + checkIn.getLong(null));
        }
    }
}
