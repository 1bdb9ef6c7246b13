package dev.omnirag.server.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The entries of another import source, with each mbox mailbox among them read message by message: a Google Takeout
 * archive holds its mail as {@code Takeout/Mail/All mail Including Spam and Trash.mbox}, a Thunderbird profile as files
 * named {@code Inbox} and {@code Sent}. Each message is an entry named by the mailbox's path, its position and subject
 * ({@code Takeout/Mail/Inbox.mbox/00042 Re: Budget.eml}); every other entry passes unchanged. A file is taken for a
 * mailbox by its first two lines ({@link MailboxReader#isMailbox}), never by its name. The order is the source's,
 * messages in their mailbox's order, so an import still resumes by position. Not thread-safe.
 */
public final class MailboxExpander implements ImportSource {

    private final ImportSource source;
    private final Path workDir;
    private final long maxMessageBytes;
    private final boolean skipDeleted;
    private MailboxReader mailbox;
    private File mailboxFile;

    /**
     * @param workDir where each message is written (a temporary file of its own)
     * @param maxMessageBytes a larger message is skipped with the reason
     */
    public MailboxExpander(ImportSource source, Path workDir, long maxMessageBytes) {
        this(source, workDir, maxMessageBytes, true);
    }

    /** @param skipDeleted see {@link MailboxReader#MailboxReader(Path, Path, long, boolean)} */
    public MailboxExpander(ImportSource source, Path workDir, long maxMessageBytes, boolean skipDeleted) {
        this.skipDeleted = skipDeleted;
        this.source = source;
        this.workDir = workDir;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public Entry next() throws IOException {
        while (true) {
            if (mailbox != null) {
                Entry message = mailbox.next();
                if (message != null) {
                    String name = mailboxFile.name() + "/" + message.name();
                    return switch (message) {
                        case File f -> new File(name, f.path(), f.size(), f.temporary(), f.sha256());
                        case Skipped s -> new Skipped(name, s.reason());
                    };
                }
                closeMailbox();
            }
            Entry entry = source.next();
            if (entry instanceof File f && f.size() > 0 && MailboxReader.isMailbox(f.path())) {
                mailbox = new MailboxReader(f.path(), workDir, maxMessageBytes, skipDeleted);
                mailboxFile = f;
                continue;
            }
            return entry;
        }
    }

    /** Closes the mailbox being read and removes it if it was a temporary copy (an archive's entry). */
    private void closeMailbox() throws IOException {
        try {
            mailbox.close();
        } finally {
            if (mailboxFile.temporary()) {
                Files.deleteIfExists(mailboxFile.path());
            }
            mailbox = null;
            mailboxFile = null;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (mailbox != null) {
                closeMailbox();
            }
        } finally {
            source.close();
        }
    }
}
