package dev.omnirag.server.wiring;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Loads, at start, library classes that subclass the JDK's hottest classes but that their library loads only on a rare
 * path, long after the server's hot code is compiled.
 *
 * <p>Why: the JIT compiles a call on an {@code ArrayList} as a direct call while no loaded class overrides the method
 * (class hierarchy analysis). The first load of such a subclass throws away every compiled method that relied on it.
 * Netty's {@code RecyclableArrayList} (used by {@code CompositeByteBuf.nioBuffers}, first reached by a large response such
 * as a metrics scrape) is first loaded minutes into a server's life: with {@code -Xlog:dependencies} it invalidated 33
 * compiled methods at once (PDFBox's {@code PDFTextStripper.writePage}, the layout's line collector, the chunker,
 * Lucene's terms writer), which the JIT then compiled again while the next PDFs were ingested (about 2 s of compile time
 * in a 35 s import of 20 PDFs). Loading it first costs nothing; it is initialized too, since the JIT's analysis counts a
 * class from the moment it is linked, not when it is loaded.
 */
@ApplicationScoped
public class EarlyClassLoading {

    private static final Logger LOG = Logger.getLogger(EarlyClassLoading.class);

    /** Subclasses of JDK collection classes, loaded late by their libraries. */
    static final List<String> CLASSES = List.of("io.netty.util.internal.RecyclableArrayList");

    void load(@Observes @Priority(1) StartupEvent event) {
        ClassLoader loader = EarlyClassLoading.class.getClassLoader();
        for (String name : CLASSES) {
            try {
                // Initialized, not only loaded: class hierarchy analysis counts a class once it is linked.
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.debugf("Not loaded early (a library changed?): %s: %s", name, e);
            }
        }
    }
}
