package dev.omnirag.server;

import dev.omnirag.server.db.ManagedPostgres;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Entry point of the packaged server. Before Quarkus starts it decides where the metadata database is: an
 * external PostgreSQL when {@code omnirag.datasource.url} (or Quarkus' own datasource URL) is set, otherwise
 * a PostgreSQL the service runs itself under the data directory. These bootstrap keys are read from system
 * properties and environment variables because they are needed before the application's configuration exists.
 */
@QuarkusMain
public final class OmniragMain {

    private static final Logger LOG = Logger.getLogger(OmniragMain.class);

    public static void main(String... args) {
        ManagedPostgres embedded = null;
        Path home = Path.of(firstNonNull(setting("omnirag.home", "OMNIRAG_HOME"), "data"));
        keepCachesUnder(home);
        String externalUrl = setting("omnirag.datasource.url", "OMNIRAG_DATASOURCE_URL");
        String quarkusUrl = setting("quarkus.datasource.reactive.url", "QUARKUS_DATASOURCE_REACTIVE_URL");
        if (externalUrl != null) {
            DatasourceSettings.external(
                            externalUrl,
                            setting("omnirag.datasource.username", "OMNIRAG_DATASOURCE_USERNAME"),
                            setting("omnirag.datasource.password", "OMNIRAG_DATASOURCE_PASSWORD"))
                    .forEach(System::setProperty);
        } else if (quarkusUrl == null) {
            embedded = ManagedPostgres.start(home.resolve("postgres"), Duration.ofSeconds(120));
            embedded.datasourceProperties().forEach(System::setProperty);
            // Normally EmbeddedDatabase stops it at the end of Quarkus' shutdown; the hook covers a failed start.
            EmbeddedDatabase.register(embedded);
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "omnirag-postgres-stop"));
        }
        LOG.debugf("Starting Omnirag (embedded database: %s)", embedded != null);
        Quarkus.run(args);
    }

    /**
     * PDFBox keeps its index of the machine's fonts in {@code ~/.pdfbox.cache} unless told a directory: the server's
     * files stay under its home instead (a service user's home may be read-only, and nothing should be written
     * elsewhere). An operator's own {@code pdfbox.fontcache} is kept.
     */
    static void keepCachesUnder(Path home) {
        if (System.getProperty("pdfbox.fontcache") != null) {
            return;
        }
        Path fonts = home.resolve("cache").resolve("pdfbox").toAbsolutePath();
        try {
            java.nio.file.Files.createDirectories(fonts);
            System.setProperty("pdfbox.fontcache", fonts.toString());
        } catch (java.io.IOException | RuntimeException e) {
            // PDFBox then uses its default (and works without a cache file when it cannot write one).
            LOG.warnf("Cannot create %s for PDFBox's font cache: %s", fonts, e.toString());
        }
    }

    private static String setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    /** Turns {@code omnirag.datasource.*} into the Quarkus datasource keys. */
    static final class DatasourceSettings {
        private DatasourceSettings() {}

        static Map<String, String> external(String url, String username, String password) {
            String bare = url.replaceFirst("^jdbc:", "").replaceFirst("^postgres(ql)?://", "");
            java.util.HashMap<String, String> props = new java.util.HashMap<>();
            props.put("quarkus.datasource.reactive.url", "postgresql://" + bare);
            props.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + bare);
            if (username != null) {
                props.put("quarkus.datasource.username", username);
            }
            if (password != null) {
                props.put("quarkus.datasource.password", password);
            }
            return props;
        }
    }
}
