package dev.omnirag.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkSignerTest {

    private static final UUID DOC = UUID.fromString("00000000-0000-0000-0000-000000000001");

    @Test
    void aLinkIsValidUntilItExpires() {
        Instant now = Instant.parse("2026-12-05T10:00:00Z");
        byte[] key = "k".repeat(32).getBytes();
        LinkSigner.Signature s =
                new LinkSigner(key, Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC)).sign(DOC, 3);
        // Rounded up to a 24th of the lifetime: 150 s; 10:00 + 1 h is on a step.
        assertThat(s.expires()).isEqualTo(now.plusSeconds(3600).getEpochSecond());
        LinkSigner.Signature soon =
                new LinkSigner(key, Duration.ofHours(1), Clock.fixed(now.plusSeconds(1), ZoneOffset.UTC)).sign(DOC, 3);
        assertThat(soon.expires()).isEqualTo(now.plusSeconds(3600 + 150).getEpochSecond());
        LinkSigner later = new LinkSigner(key, Duration.ofHours(1), Clock.fixed(now.plusSeconds(3599), ZoneOffset.UTC));
        assertThat(later.check(DOC, 3, s.expires(), s.sig())).isEqualTo(LinkSigner.Check.VALID);
        LinkSigner tooLate =
                new LinkSigner(key, Duration.ofHours(1), Clock.fixed(now.plusSeconds(3601), ZoneOffset.UTC));
        assertThat(tooLate.check(DOC, 3, s.expires(), s.sig())).isEqualTo(LinkSigner.Check.EXPIRED);
        assertThat(later.check(DOC, 4, s.expires(), s.sig())).isEqualTo(LinkSigner.Check.INVALID);
        assertThat(later.check(UUID.randomUUID(), 3, s.expires(), s.sig())).isEqualTo(LinkSigner.Check.INVALID);
        assertThat(later.check(DOC, 3, s.expires() + 1, s.sig())).isEqualTo(LinkSigner.Check.INVALID);
        assertThat(later.check(DOC, 3, s.expires(), null)).isEqualTo(LinkSigner.Check.INVALID);
    }

    @Test
    void theGeneratedKeyIsOwnerOnlyAndStable(@TempDir Path home) throws Exception {
        byte[] first = LinkSigner.key(Optional.empty(), home);
        assertThat(first).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(LinkSigner.KEY_FILE))))
                .isEqualTo("rw-------");
        assertThat(LinkSigner.key(Optional.empty(), home)).isEqualTo(first);
        // Deleting the file rotates the key.
        Files.delete(home.resolve(LinkSigner.KEY_FILE));
        assertThat(LinkSigner.key(Optional.empty(), home)).isNotEqualTo(first);
    }

    @Test
    void aConfiguredKeyMustBeLongEnough() {
        assertThatThrownBy(() -> LinkSigner.key(Optional.of("short"), Path.of("/nonexistent")))
                .hasMessage("omnirag.links.key must be at least 32 characters; length=5");
        assertThat(LinkSigner.key(Optional.of("x".repeat(32)), Path.of("/nonexistent")))
                .hasSize(32);
    }
}
