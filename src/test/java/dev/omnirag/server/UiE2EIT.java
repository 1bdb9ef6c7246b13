package dev.omnirag.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web UI's end-to-end test: starts the packaged server (which serves the UI at /) and runs
 * {@code ui/e2e/acceptance.mjs}, playwright-core driving Debian's Chromium through creating a collection,
 * uploading tracemonkey.pdf, asking the acceptance question, opening the cited page and deleting the
 * collection; then {@code ui/e2e/stored-xss.mjs}: an uploaded memo.html whose script hunts for the key never gets
 * it; then {@code ui/e2e/conversations.mjs}: a follow-up that uses the conversation, a conversation that survives a
 * reload, an answer and an upload that go on across a tab switch, Markdown, the chat list, dark mode and a phone.
 * Screenshots of each step go to {@code target/e2e-screenshots}. The server runs with authentication on: the
 * browser first enters the admin key the server wrote to its data directory in the UI's key dialog.
 */
class UiE2EIT {

    @RegisterExtension
    final PackagedServers servers = new PackagedServers("ui-e2e-home");

    private static final Path UI = Path.of("../ui").toAbsolutePath().normalize();
    private static final Path SCREENSHOTS = Path.of("target/e2e-screenshots").toAbsolutePath();
    private PackagedServer server;

    @Test
    void aPersonCanUploadAskAndOpenTheCitedPageInABrowser() throws Exception {
        assertThat(UI.resolve("node_modules/playwright-core"))
                .as("npm ci in ui/ (the ui module's build runs it)")
                .exists();
        PostgresTestResource.delete(SCREENSHOTS);
        server = servers.start(java.util.Map.of("OMNIRAG_AUTH_ENABLED", "true"));
        String adminKey = Files.readString(servers.home().resolve("admin.key")).strip();

        Path shared = TestSupport.shared("media/pdf/tracemonkey.pdf")
                .getParent()
                .getParent()
                .getParent();
        // The output goes to a file and is printed afterwards: a forked test JVM's own stdout is the build
        // tool's channel, which a child process writing to it directly would corrupt.
        for (String script : new String[] {"e2e/acceptance.mjs", "e2e/stored-xss.mjs", "e2e/conversations.mjs"}) {
            Path log = servers.home().resolve(script.replace("e2e/", "").replace(".mjs", ".log"));
            ProcessBuilder pb = new ProcessBuilder("node", script)
                    .directory(UI.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("OMNIRAG_URL", server.baseUrl());
            pb.environment().put("OMNIRAG_KEY", adminKey);
            pb.environment().put("SCREENSHOTS", SCREENSHOTS.toString());
            pb.environment().put("SHARED", shared.toString());
            Process e2e = pb.start();
            boolean finished = e2e.waitFor(6, TimeUnit.MINUTES);
            if (!finished) {
                e2e.destroyForcibly();
            }
            System.out.println(Files.readString(log));
            assertThat(finished).as("%s did not finish in 6 minutes", script).isTrue();
            assertThat(e2e.exitValue())
                    .as(
                            "%s failed (its output is above; screenshots in %s, server log %s)",
                            script, SCREENSHOTS, server.log())
                    .isZero();
        }
        assertThat(SCREENSHOTS.resolve("01-collection-list.png")).exists();
        try (var shots = Files.list(SCREENSHOTS)) {
            assertThat(shots.map(p -> p.getFileName().toString()).toList())
                    .anyMatch(n -> n.endsWith("dark-mode-chat.png"))
                    .anyMatch(n -> n.endsWith("phone-chat.png"));
        }
    }
}
