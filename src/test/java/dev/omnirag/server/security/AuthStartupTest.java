package dev.omnirag.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up checks that need no server: the loopback rule and the owner-only key file. */
class AuthStartupTest {

    @Test
    void withoutAuthenticationANonLoopbackHostRefusesToStartNamingBothKeys() {
        for (String host : new String[] {"0.0.0.0", "::", "192.0.2.10", ""}) {
            assertThatThrownBy(() -> AuthStartup.checkBinding(false, host))
                    .as(host)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("omnirag.auth.enabled=false")
                    .hasMessageContaining("quarkus.http.host=" + host);
        }
    }

    @Test
    void withoutAuthenticationLoopbackHostsStart() {
        for (String host : new String[] {"127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"}) {
            assertThatCode(() -> AuthStartup.checkBinding(false, host)).as(host).doesNotThrowAnyException();
        }
    }

    @Test
    void withAuthenticationAnyHostStarts() {
        assertThatCode(() -> AuthStartup.checkBinding(true, "0.0.0.0")).doesNotThrowAnyException();
    }

    @Test
    void theKeyFileIsReadableByItsOwnerOnlyAndReplacedWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("home/admin.key");
        AuthStartup.writeOwnerOnly(file, "omr_first\n");
        AuthStartup.writeOwnerOnly(file, "omr_second\n");
        assertThat(Files.readString(file)).isEqualTo("omr_second\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.toList()).containsExactly(file);
        }
    }

    @Test
    void keysHaveTheAgreedFormatAndAreStoredAsSha256Hex() {
        String key = ApiKeys.generate();
        assertThat(key).matches("omr_[A-Za-z0-9_-]{43}");
        assertThat(ApiKeys.generate()).isNotEqualTo(key);
        assertThat(ApiKeys.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ApiKeys.displayPrefix(key)).hasSize(12).startsWith("omr_");
    }

    @Test
    void rolesIncludeTheOnesBelowAndParseFromTheWire() {
        assertThat(Role.ADMIN.covers(Role.WRITE)).isTrue();
        assertThat(Role.WRITE.covers(Role.READ)).isTrue();
        assertThat(Role.READ.covers(Role.WRITE)).isFalse();
        assertThat(Role.parse("role", " Write ")).isEqualTo(Role.WRITE);
        assertThatThrownBy(() -> Role.parse("role", "owner"))
                .hasMessage("role must be one of [read, write, admin]; role=owner");
    }
}
