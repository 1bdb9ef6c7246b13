package dev.omnirag.server.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files under a server-side directory, in path order (so an import resumes by position), read in place. Links are
 * never followed (a link could lead outside the allowed roots): they are skipped with a reason, as are hidden files
 * and files larger than {@code maxFileBytes} (but an mbox mailbox, whose messages are each held to it). Not
 * thread-safe.
 */
public final class DirectoryReader implements ImportSource {

    private final Path root;
    private final long maxFileBytes;
    private final Iterator<Path> paths;
    private final Stream<Path> walk;

    /** @param root a directory, already checked to be under an allowed root (real path, no link) */
    public DirectoryReader(Path root, long maxFileBytes) throws IOException {
        this.root = root;
        this.maxFileBytes = maxFileBytes;
        this.walk = Files.walk(root); // does not follow links
        List<Path> sorted = walk.filter(p -> !p.equals(root)).sorted().toList();
        this.paths = sorted.iterator();
    }

    @Override
    public Entry next() throws IOException {
        while (paths.hasNext()) {
            Path p = paths.next();
            String name = root.relativize(p).toString().replace('\\', '/');
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isDirectory()) {
                continue;
            }
            if (a.isSymbolicLink() || a.isOther()) {
                return new Skipped(name, "links and devices are not imported");
            }
            if (p.getFileName().toString().startsWith(".") || hiddenFolder(name)) {
                return new Skipped(name, "hidden or system file");
            }
            // A mailbox is read message by message in place (MailboxExpander), each message within the limit.
            if (a.size() > maxFileBytes && !MailboxReader.isMailbox(p)) {
                return new Skipped(
                        name,
                        "the file is " + a.size() + " bytes; the limit is " + maxFileBytes
                                + " bytes (omnirag.ingest.max-upload-size)");
            }
            return new File(name, p, a.size(), false, null);
        }
        return null;
    }

    private static boolean hiddenFolder(String name) {
        for (String part : name.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        walk.close();
    }
}
