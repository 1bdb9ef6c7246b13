package dev.omnirag.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs an external program with a time limit, capturing its merged output (bounded to the last 64 KiB). */
final class Tools {

    private static final int KEEP = 64 * 1024;

    private Tools() {}

    record Result(int exitCode, String output) {}

    static Result run(List<String> command, Duration timeout, String tool, String installHint) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new MediaException.Misconfigured(
                    tool + " is not installed or cannot run (" + e.getMessage() + "); " + installHint, e);
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new MediaException.NonRetriable(
                        tool + " took longer than " + timeout.toSeconds() + " s and was stopped");
            }
            return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new MediaException.Retriable("interrupted while running " + tool, e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new MediaException.Retriable("cannot read the output of " + tool + ": " + e.getMessage(), e);
        }
    }

    private static String drain(InputStream in) {
        byte[] buffer = new byte[8192];
        byte[] tail = new byte[KEEP];
        int kept = 0;
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (kept + n > KEEP) {
                    int drop = kept + n - KEEP;
                    System.arraycopy(tail, drop, tail, 0, kept - drop);
                    kept -= drop;
                }
                System.arraycopy(buffer, 0, tail, kept, n);
                kept += n;
            }
        } catch (IOException e) {
            // the process ended; keep what was read
        }
        return new String(tail, 0, kept, StandardCharsets.UTF_8);
    }

    static String lastLines(String output, int n) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        String s = String.join("; ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        if (s.isEmpty()) {
            return "no error message";
        }
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }
}
