package dev.omnirag.server.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnirag.server.config.ImportConfig;
import dev.omnirag.server.config.IngestConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Archive imports: an uploaded zip or tar archive (or mbox mailbox, {@link MailboxReader}) is stored in the blob store and recorded as an import row; one
 * thread unpacks imports one at a time ({@link ArchiveReader}), and every {@value #BATCH} files queues them as
 * documents with child jobs in one transaction that also records how far it got ({@code entries_done}). A restart
 * or crash resumes unpacking at the first file not yet queued; files whose bytes are already in the collection are
 * counted as duplicates, never queued twice. Cancelling stops the unpacking and fails the child jobs still queued.
 *
 * <p>States: {@code unpacking} → {@code unpacked} (all files queued; the import is done when its child jobs are) |
 * {@code failed} (the archive is unreadable or breaks a limit; files queued before stay) | {@code cancelled}.
 *
 * <p>Long because an import is one durable state machine (unpack in batches, child jobs, cancel, resume after a
 * crash, duplicates) and its progress stream.
 */
@ApplicationScoped
public class Imports {

    private static final Logger LOG = Logger.getLogger(Imports.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofSeconds(60);
    /** Files queued per transaction. */
    static final int BATCH = 200;
    /** Skipped files listed by name in the import (the count covers all). */
    private static final int LISTED_SKIPS = 100;

    /** An import as stored. */
    public record ImportRow(
            UUID id,
            UUID collectionId,
            String archiveSha256,
            String sourcePath,
            String filename,
            String metadata,
            String status,
            int entriesDone,
            int queued,
            int duplicates,
            int skipped,
            String skippedFiles,
            String error,
            OffsetDateTime createdAt,
            OffsetDateTime updatedAt,
            OffsetDateTime finishedAt) {}

    /** The import's child jobs by status. */
    public record JobCounts(long queued, long running, long succeeded, long failed, OffsetDateTime lastFinished) {}

    private final Pool pool;
    private final JobQueue jobs;
    private final BlobStore blobs;
    private final DocumentParser parser;
    private final IngestionWorkers workers;
    private final IngestConfig ingest;
    private final ImportConfig config;
    private final Object wake = new Object();
    private volatile boolean running;
    private Thread thread;

    Imports(
            Pool pool,
            JobQueue jobs,
            BlobStore blobs,
            DocumentParser parser,
            IngestionWorkers workers,
            IngestConfig ingest,
            ImportConfig config) {
        this.pool = pool;
        this.jobs = jobs;
        this.blobs = blobs;
        this.parser = parser;
        this.workers = workers;
        this.ingest = ingest;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (ingest.workers() == 0) {
            return; // this instance only queues uploads; imports are unpacked by the replicas that ingest
        }
        // Imports this instance was unpacking when it stopped resume now.
        await(pool.preparedQuery("UPDATE imports SET lease_until = now() WHERE worker = $1 AND status = 'unpacking'")
                .execute(Tuple.of(jobs.worker())));
        running = true;
        thread = new Thread(this::loop, "omnirag-import");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    /** Records an import of {@code archive} (already in the blob store) and wakes the unpacker; returns its id. */
    public UUID create(UUID collectionId, String archiveSha256, String filename, String metadata) {
        UUID id = UUID.randomUUID();
        await(pool.preparedQuery("INSERT INTO imports (id, collection_id, archive_sha256, filename, metadata, status, "
                        + "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'unpacking', now(), now())")
                .execute(Tuple.of(id, collectionId, archiveSha256, filename, metadata)));
        synchronized (wake) {
            wake.notifyAll();
        }
        return id;
    }

    /**
     * Records an import of the files under {@code directory} (a real path under an allowed root, checked by the
     * caller) and wakes the unpacker; returns its id. The files are read in place, never changed or removed.
     */
    public UUID createFromDirectory(UUID collectionId, Path directory, String metadata) {
        UUID id = UUID.randomUUID();
        await(pool.preparedQuery("INSERT INTO imports (id, collection_id, source_path, filename, metadata, status, "
                        + "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'unpacking', now(), now())")
                .execute(Tuple.of(id, collectionId, directory.toString(), directory.toString(), metadata)));
        synchronized (wake) {
            wake.notifyAll();
        }
        return id;
    }

    /** The import, if it exists. */
    public Optional<ImportRow> find(UUID id) {
        var rows =
                await(pool.preparedQuery("SELECT * FROM imports WHERE id = $1").execute(Tuple.of(id)));
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row r = rows.iterator().next();
        return Optional.of(new ImportRow(
                r.getUUID("id"),
                r.getUUID("collection_id"),
                r.getString("archive_sha256"),
                r.getString("source_path"),
                r.getString("filename"),
                r.getString("metadata"),
                r.getString("status"),
                r.getInteger("entries_done"),
                r.getInteger("queued"),
                r.getInteger("duplicates"),
                r.getInteger("skipped"),
                r.getString("skipped_files"),
                r.getString("error"),
                r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("updated_at"),
                r.getOffsetDateTime("finished_at")));
    }

    /** The import's child jobs by status. */
    public JobCounts jobCounts(UUID id) {
        var rows = await(pool.preparedQuery("SELECT status, count(*) AS n, max(finished_at) AS last FROM jobs "
                        + "WHERE import_id = $1 GROUP BY status")
                .execute(Tuple.of(id)));
        long q = 0, r = 0, s = 0, f = 0;
        OffsetDateTime last = null;
        for (Row row : rows) {
            long n = row.getLong("n");
            switch (row.getString("status")) {
                case "queued" -> q = n;
                case "running" -> r = n;
                case "succeeded" -> s = n;
                case "failed" -> f = n;
                default -> {}
            }
            OffsetDateTime l = row.getOffsetDateTime("last");
            if (l != null && (last == null || l.isAfter(last))) {
                last = l;
            }
        }
        return new JobCounts(q, r, s, f, last);
    }

    /**
     * Cancels an import that is unpacking or whose files are still being ingested: unpacking stops at the next
     * file, and its child jobs still waiting fail with "the import was cancelled" (running ones finish). Returns false
     * when the import had already ended.
     */
    public boolean cancel(UUID id) {
        var rows = await(pool.preparedQuery("UPDATE imports SET status = 'cancelled', updated_at = now(), "
                        + "finished_at = now(), lease_until = NULL WHERE id = $1 AND status IN ('unpacking', 'unpacked') "
                        + "RETURNING id")
                .execute(Tuple.of(id)));
        long failed = jobs.failQueued(id, "the import was cancelled");
        if (rows.size() > 0) {
            LOG.infof("Import %s cancelled; %d queued file(s) will not be ingested", id, failed);
        }
        return rows.size() > 0;
    }

    private void loop() {
        while (running) {
            try {
                Optional<ImportRow> claimed = claim();
                if (claimed.isPresent()) {
                    unpack(claimed.get());
                    continue;
                }
                synchronized (wake) {
                    wake.wait(1000);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | IOException | OutOfMemoryError e) {
                if (running) {
                    LOG.errorf(e, "Import unpacker failed; retrying");
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }
    }

    private Optional<ImportRow> claim() {
        var rows = await(
                pool.preparedQuery("UPDATE imports SET worker = $1, lease_until = now() + make_interval(secs => $2), "
                                + "attempts = attempts + 1, updated_at = now() WHERE id = (SELECT id FROM imports WHERE status = 'unpacking' "
                                + "AND (lease_until IS NULL OR lease_until < now()) ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1) "
                                + "RETURNING id")
                        .execute(Tuple.of(jobs.worker(), (double) LEASE.toSeconds())));
        return rows.size() == 0 ? Optional.empty() : find(rows.iterator().next().getUUID("id"));
    }

    /**
     * The import's files: an uploaded mailbox's messages, or a directory's or an archive's files with each mailbox among
     * them read message by message ({@link MailboxExpander}).
     */
    private ImportSource open(ImportRow row, Path work) throws IOException {
        long maxFile = ingest.maxUploadSize().asLongValue();
        boolean skipDeleted = config.skipDeletedMail();
        if (row.sourcePath() != null) {
            return new MailboxExpander(
                    new DirectoryReader(Path.of(row.sourcePath()), maxFile), work, maxFile, skipDeleted);
        }
        Path blob = blobs.path(row.archiveSha256());
        if (MailboxReader.isMailbox(blob)) {
            return new MailboxReader(blob, work, maxFile, skipDeleted);
        }
        return new MailboxExpander(
                new ArchiveReader(
                        blob, work, maxFile, config.maxExpandedSize().asLongValue(), ingest.maxCompressionRatio()),
                work,
                maxFile,
                skipDeleted);
    }

    /** Unpacks one import from the first file not yet queued to the end, or until it is cancelled. */
    private void unpack(ImportRow row) throws IOException {
        Path work = Files.createTempDirectory("omnirag-import-");
        List<Map<String, String>> skippedFiles = new ArrayList<>(JSON.readValue(
                row.skippedFiles(), JSON.getTypeFactory().constructCollectionType(List.class, Map.class)));
        Progress progress = new Progress(row, skippedFiles);
        LOG.infof(
                "Unpacking import %s (%s)%s",
                row.id(),
                row.filename(),
                row.entriesDone() > 0 ? ", resuming after " + row.entriesDone() + " entries" : "");
        try (ImportSource reader = open(row, work)) {
            ImportSource.Entry entry;
            while ((entry = reader.next()) != null) {
                progress.position++;
                if (progress.position > config.maxEntries()) {
                    throw new ArchiveReader.BadArchive(
                            "the archive has more than " + config.maxEntries() + " files (omnirag.import.max-entries)",
                            null);
                }
                if (progress.position <= row.entriesDone()) {
                    if (entry instanceof ImportSource.File f && f.temporary()) {
                        Files.deleteIfExists(f.path()); // queued before the restart
                    }
                    continue;
                }
                switch (entry) {
                    case ImportSource.Skipped s -> progress.skip(s.name(), s.reason());
                    case ImportSource.File f -> {
                        try {
                            String name = ArchiveReader.documentName(f.name());
                            String type = typeOf(f, name);
                            if (type == null) {
                                progress.skip(f.name(), "the type of this file cannot be detected");
                            } else if (f.size() > 0 && !parser.supports(type)) {
                                progress.skip(f.name(), "unsupported media type " + type);
                            } else {
                                String sha = f.temporary() && f.sha256() != null
                                        ? blobs.adopt(f.path(), f.sha256())
                                        : blobs.put(f.path());
                                progress.batch.add(new JobQueue.NewDocument(name, type, f.size(), sha, row.metadata()));
                            }
                        } finally {
                            if (f.temporary()) {
                                Files.deleteIfExists(f.path());
                            }
                        }
                    }
                }
                if (progress.position - progress.flushedAt >= BATCH && !flush(progress, false)) {
                    LOG.infof("Import %s: unpacking stopped (cancelled)", row.id());
                    return;
                }
            }
            flush(progress, true);
            LOG.infof("Import %s unpacked: %d entries, %d skipped", row.id(), progress.position, progress.skipped);
        } catch (ArchiveReader.BadArchive | java.nio.file.NoSuchFileException e) {
            progress.position--; // the entry that broke the limit was not queued
            flush(progress, false);
            String reason = e instanceof java.nio.file.NoSuchFileException
                    ? "a file or folder disappeared while it was read: " + e.getMessage()
                    : e.getMessage();
            LOG.warnf("Import %s failed: %s", row.id(), reason);
            await(pool.preparedQuery("UPDATE imports SET status = 'failed', error = $2, updated_at = now(), "
                            + "finished_at = now(), lease_until = NULL WHERE id = $1 AND status = 'unpacking'")
                    .execute(Tuple.of(row.id(), reason)));
        } finally {
            try (var left = Files.walk(work)) {
                for (Path p : left.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** How far unpacking got: entries read, the files read since the last flush, skipped entries. */
    private static final class Progress {
        final ImportRow row;
        final List<Map<String, String>> skippedFiles;
        final List<JobQueue.NewDocument> batch = new ArrayList<>();
        int position;
        int flushedAt;
        int skipped;

        Progress(ImportRow row, List<Map<String, String>> skippedFiles) {
            this.row = row;
            this.skippedFiles = skippedFiles;
            this.position = 0;
            this.flushedAt = row.entriesDone();
            this.skipped = row.skipped();
        }

        void skip(String name, String reason) {
            skipped++;
            if (skippedFiles.size() < LISTED_SKIPS) {
                skippedFiles.add(Map.of("name", name, "reason", reason));
            }
        }
    }

    /** The file's media type (by its name when it is empty), or null when the detector fails on it. */
    private String typeOf(ImportSource.File f, String name) {
        try {
            return f.size() == 0 ? parser.detectByName(name) : parser.detect(f.path(), name);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Queues the files read since the last flush, with the import's progress, in one transaction; with {@code last},
     * the import is unpacked. Returns false when the import was cancelled (or taken over) meanwhile: nothing of this
     * batch is queued.
     */
    private boolean flush(Progress p, boolean last) throws IOException {
        String skips = JSON.writeValueAsString(p.skippedFiles);
        try {
            jobs.enqueue(p.row.collectionId(), List.copyOf(p.batch), p.row.id(), (conn, outcomes) -> {
                long duplicates =
                        outcomes.stream().filter(JobQueue.Enqueued::duplicate).count();
                return conn.preparedQuery("UPDATE imports SET entries_done = $2, skipped = $3, skipped_files = $4, "
                                + "queued = queued + $5, duplicates = duplicates + $6, updated_at = now(), "
                                + "lease_until = now() + make_interval(secs => $7), "
                                + "status = CASE WHEN $8 THEN 'unpacked' ELSE status END "
                                + "WHERE id = $1 AND status = 'unpacking' AND worker = $9 RETURNING id")
                        .execute(Tuple.from(List.of(
                                p.row.id(),
                                p.position,
                                p.skipped,
                                skips,
                                (int) (outcomes.size() - duplicates),
                                (int) duplicates,
                                (double) LEASE.toSeconds(),
                                last,
                                jobs.worker())))
                        .flatMap(updated -> updated.size() > 0
                                ? Uni.createFrom().voidItem()
                                : Uni.createFrom().failure(new CancelledImport()));
            });
        } catch (CancelledImport e) {
            return false;
        }
        p.batch.clear();
        p.flushedAt = p.position;
        workers.submit();
        return true;
    }

    private static final class CancelledImport extends RuntimeException {
        CancelledImport() {
            super("the import was cancelled", null, false, false);
        }
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }
}
