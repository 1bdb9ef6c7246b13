package dev.omnirag.embeddings;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The process's ONNX Runtime environment, with the runtime's telemetry off. Every use of ONNX Runtime in Omnirag (the
 * text and CLIP embedders, the cross-encoder reranker) takes its environment here, before it touches any other class
 * of the runtime.
 *
 * <p>Why: ONNX Runtime 1.29 reports usage to Microsoft from Linux and macOS as well (1DS events: the process, its
 * sessions and models, a device identifier it keeps in {@code /tmp/.ses}, a {@code /tmp/mat-debug-<pid>.log} per
 * process). A server over private documents must not call out unasked. The runtime's full opt-out is the environment
 * variable {@code ORT_DISABLE_TELEMETRY=1}, read once when the runtime starts; {@link OrtEnvironment#setTelemetry}
 * comes after its first event. So, unless the variable is already set (the user's choice is kept, {@code 0} included),
 * {@link #get()} sets it in the process's native environment ({@code setenv} through the foreign function API) before
 * the runtime starts, then turns telemetry off through the API too (Windows' provider). Where that cannot be done (no
 * {@code setenv}, native access denied) it logs a warning saying to set the variable.
 *
 * <p>Thread safe; the runtime starts once per process.
 */
public final class OnnxRuntimeEnvironment {

    /** ONNX Runtime's switch: {@code 1} turns its telemetry off for the process. */
    public static final String TELEMETRY_VARIABLE = "ORT_DISABLE_TELEMETRY";

    private static final System.Logger LOG = System.getLogger(OnnxRuntimeEnvironment.class.getName());

    private static OrtEnvironment environment;

    private OnnxRuntimeEnvironment() {}

    /** The runtime's environment; the first call starts the runtime with its telemetry off. */
    public static synchronized OrtEnvironment get() {
        if (environment == null) {
            String chosen = System.getenv(TELEMETRY_VARIABLE);
            if (chosen == null && !setNativeVariable(TELEMETRY_VARIABLE, "1")) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "Could not turn ONNX Runtime''s telemetry off before it started; set {0}=1 in the server''s "
                                + "environment",
                        TELEMETRY_VARIABLE);
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            if (chosen == null || chosen.equals("1")) {
                try {
                    env.setTelemetry(false);
                } catch (OrtException e) {
                    LOG.log(System.Logger.Level.WARNING, "ONNX Runtime refused to turn its telemetry off: {0}", e);
                }
            }
            environment = env;
        }
        return environment;
    }

    /**
     * Sets a variable in the process's native environment (what native libraries read with {@code getenv}; Java's
     * {@link System#getenv} keeps its copy from the start), without replacing a value already there. False when the
     * platform has no {@code setenv} or native access is denied.
     */
    static boolean setNativeVariable(String name, String value) {
        try {
            Linker linker = Linker.nativeLinker();
            Optional<MemorySegment> setenv = linker.defaultLookup().find("setenv");
            if (setenv.isEmpty()) {
                return false;
            }
            MethodHandle call = linker.downcallHandle(
                    setenv.get(),
                    FunctionDescriptor.of(
                            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            try (Arena arena = Arena.ofConfined()) {
                return (int) call.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 0) == 0;
            }
        } catch (Throwable e) { // IllegalCallerException (native access denied), linkage errors
            return false;
        }
    }
}
