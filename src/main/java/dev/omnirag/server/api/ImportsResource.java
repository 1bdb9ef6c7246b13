package dev.omnirag.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.ingest.ArchiveReader;
import dev.omnirag.server.ingest.BlobStore;
import dev.omnirag.server.ingest.Imports;
import dev.omnirag.server.ingest.MailboxReader;
import dev.omnirag.server.security.Access;
import dev.omnirag.server.security.Principal;
import dev.omnirag.server.security.RequiresCollectionRole;
import dev.omnirag.server.security.Role;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Archive imports: a zip or tar archive whose files each become a document (see {@link Imports}), with one
 * aggregate progress for all of them.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ImportsResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration MAX_STREAM = Duration.ofHours(12);

    /** The child jobs of an import by status. */
    public record JobCountsView(long queued, long running, long succeeded, long failed) {}

    /**
     * An import's aggregate progress. {@code status}: {@code unpacking} (files are being read from the archive),
     * {@code ingesting} (all read; some are still being ingested), {@code done}, {@code failed} (the archive could
     * not be read to its end: {@code error} says why; files queued before stay) or {@code cancelled}.
     * {@code entries}: entries read so far; {@code files}: new documents queued; {@code duplicates}: files whose bytes
     * the collection already had; {@code skipped}: entries not imported, the first 100 listed in {@code skippedFiles}
     * with the reason. {@code docsPerSecond} and {@code etaSeconds} (null while unknown) over the files ingested so
     * far.
     */
    public record ImportView(
            UUID id,
            UUID collectionId,
            String filename,
            String status,
            int entries,
            int files,
            int duplicates,
            int skipped,
            List<Map<String, String>> skippedFiles,
            JobCountsView jobs,
            Double docsPerSecond,
            Long etaSeconds,
            String error,
            OffsetDateTime createdAt,
            OffsetDateTime finishedAt) {

        boolean terminal() {
            return status.equals("done") || status.equals("failed") || status.equals("cancelled");
        }
    }

    private final Db db;
    private final BlobStore blobs;
    private final Imports imports;
    private final Access access;
    private final dev.omnirag.server.config.IngestConfig ingest;
    private final dev.omnirag.server.config.ImportConfig config;

    ImportsResource(
            Db db,
            BlobStore blobs,
            Imports imports,
            Access access,
            dev.omnirag.server.config.IngestConfig ingest,
            dev.omnirag.server.config.ImportConfig config) {
        this.config = config;
        this.db = db;
        this.blobs = blobs;
        this.imports = imports;
        this.access = access;
        this.ingest = ingest;
    }

    /**
     * Stores the archive and queues its import: 202 with the import ({@code Location: /v1/imports/{id}}). Blocking.
     * A file that is neither a zip or tar archive (plain, gzip, bzip2 or xz) nor an mbox mailbox gets 415 at once.
     */
    @POST
    @Path("/collections/{id}/imports")
    @RequiresCollectionRole(Role.WRITE)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response create(
            @PathParam("id") String id, @RestForm("archive") FileUpload archive, @RestForm("metadata") String metadata)
            throws IOException {
        UUID collectionId = Ids.parse("collection", id);
        access.requireCollection(collectionId, Role.WRITE);
        CollectionEntity collection = db.read(() -> CollectionEntity.<CollectionEntity>findById(collectionId));
        if (collection == null) {
            throw ApiException.notFound("collection", id);
        }
        if (archive == null || archive.uploadedFile() == null) {
            throw ApiException.badRequest(
                    "multipart part 'archive' is required (a zip or tar archive, or an mbox mailbox)");
        }
        String metadataJson = DocumentsResource.normaliseMetadata(metadata);
        java.nio.file.Path probe = Files.createTempDirectory("omnirag-import-probe-");
        try {
            if (!MailboxReader.isMailbox(archive.uploadedFile())) {
                try (ArchiveReader reader = new ArchiveReader(archive.uploadedFile(), probe, 1, 1, 2)) {
                    // Opening reads the header only: a file that is not an archive is refused before it is stored.
                }
            }
        } catch (ArchiveReader.BadArchive e) {
            throw new ApiException(415, e.getMessage() + "; an mbox mailbox is imported too, one document per message");
        } finally {
            Files.deleteIfExists(probe);
        }
        String sha = blobs.put(archive.uploadedFile());
        String name = archive.fileName() == null || archive.fileName().isBlank() ? "archive" : archive.fileName();
        Requests.oneLine("filename", name);
        UUID importId =
                imports.create(collectionId, sha, name.length() > 255 ? name.substring(0, 255) : name, metadataJson);
        return Response.accepted(view(imports.find(importId).orElseThrow()))
                .location(URI.create("/v1/imports/" + importId))
                .build();
    }

    /** The body of a directory import. */
    public record DirectoryImport(String path, Map<String, Object> metadata) {}

    /**
     * Imports the files under a server directory, read in place (global admins only, and only under
     * {@code omnirag.import.roots}): 202 with the import. Blocking.
     */
    @POST
    @Path("/collections/{id}/imports")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createFromDirectory(@PathParam("id") String id, DirectoryImport body) throws IOException {
        UUID collectionId = Ids.parse("collection", id);
        Principal p = access.principal();
        Access.require(p, collectionId, Role.WRITE, () -> ApiException.notFound("collection", id));
        if (!p.admin()) {
            throw new ApiException(
                    403, "importing a server directory needs a global admin key; upload an archive instead");
        }
        List<java.nio.file.Path> roots = config.roots().orElse(List.of());
        if (roots.isEmpty()) {
            throw new ApiException(403, "directory imports are off: no omnirag.import.roots is configured");
        }
        if (body == null || body.path() == null || body.path().isBlank()) {
            throw ApiException.badRequest("path is required: a directory under " + roots);
        }
        CollectionEntity collection = db.read(() -> CollectionEntity.<CollectionEntity>findById(collectionId));
        if (collection == null) {
            throw ApiException.notFound("collection", id);
        }
        java.nio.file.Path real;
        try {
            real = java.nio.file.Path.of(body.path()).toRealPath();
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw ApiException.badRequest("path " + body.path() + " is not a readable directory on the server");
        }
        boolean allowed = false;
        for (java.nio.file.Path root : roots) {
            try {
                allowed |= real.startsWith(root.toRealPath());
            } catch (IOException e) {
                // a configured root that does not exist allows nothing
            }
        }
        if (!allowed) {
            throw new ApiException(403, "path " + body.path() + " is not under omnirag.import.roots " + roots);
        }
        if (!Files.isDirectory(real)) {
            throw ApiException.badRequest("path " + body.path() + " is not a directory");
        }
        String metadataJson = DocumentsResource.normaliseMetadata(
                body.metadata() == null ? null : JSON.writeValueAsString(body.metadata()));
        UUID importId = imports.createFromDirectory(collectionId, real, metadataJson);
        return Response.accepted(view(imports.find(importId).orElseThrow()))
                .location(URI.create("/v1/imports/" + importId))
                .build();
    }

    @GET
    @Path("/imports/{id}")
    @Blocking
    public ImportView get(@PathParam("id") String id) {
        return view(readable(id));
    }

    /**
     * Cancels the import: unpacking stops, and its files still waiting in the queue fail with "the import was
     * cancelled" (files being ingested finish). 200 with the import; an import that already ended is returned as it
     * is.
     */
    @POST
    @Path("/imports/{id}/cancel")
    @Blocking
    public ImportView cancel(@PathParam("id") String id) {
        Imports.ImportRow row = readable(id);
        Access.require(access.principal(), row.collectionId(), Role.WRITE, () -> ApiException.notFound("import", id));
        imports.cancel(row.id());
        return view(imports.find(row.id()).orElseThrow(() -> ApiException.notFound("import", id)));
    }

    /**
     * Server-sent events: {@code progress} with the import whenever it changes (checked every second), then one
     * {@code done} when it ended, after which the stream ends.
     */
    @GET
    @Path("/imports/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        UUID importId = readable(id).id();
        ImportView[] last = new ImportView[1];
        // Marks the end of the stream; never sent.
        OutboundSseEvent end = sse.newEventBuilder().comment("end").build();
        return Multi.createFrom()
                .ticks()
                .startingAfter(Duration.ofMillis(1))
                .every(POLL)
                .select()
                .first(MAX_STREAM)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(tick -> imports.find(importId).map(this::view).orElse(GONE))
                .select()
                .where(v -> {
                    ImportView prev = last[0];
                    last[0] = v;
                    return v == GONE || prev == null || !sameProgress(prev, v);
                })
                .onItem()
                .transformToMultiAndConcatenate(v -> v == GONE
                        // Deleted with its collection: say so and end, rather than idle.
                        ? Multi.createFrom()
                                .items(
                                        sse.newEventBuilder()
                                                .name("error")
                                                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                                                .data(
                                                        Map.class,
                                                        Map.of(
                                                                "status",
                                                                404,
                                                                "detail",
                                                                "import " + id
                                                                        + " no longer exists: its collection was deleted"))
                                                .build(),
                                        end)
                        : v.terminal()
                                ? Multi.createFrom().items(event(sse, "progress", v), event(sse, "done", v), end)
                                : Multi.createFrom().item(event(sse, "progress", v)))
                .select()
                .first(e -> e != end);
    }

    /** Stands for an import that vanished while streamed; never sent. */
    private static final ImportView GONE = new ImportView(
            null,
            null,
            null,
            "gone",
            0,
            0,
            0,
            0,
            List.of(),
            new JobCountsView(0, 0, 0, 0),
            null,
            null,
            null,
            null,
            null);

    private static boolean sameProgress(ImportView a, ImportView b) {
        return a.status().equals(b.status())
                && a.entries() == b.entries()
                && a.skipped() == b.skipped()
                && a.jobs().equals(b.jobs())
                && Objects.equals(a.error(), b.error());
    }

    private static OutboundSseEvent event(Sse sse, String name, ImportView v) {
        return sse.newEventBuilder()
                .name(name)
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(ImportView.class, v)
                .build();
    }

    /** The import, when the caller may read its collection; 404 otherwise (an import of another tenant is not shown). */
    private Imports.ImportRow readable(String id) {
        UUID importId = Ids.parse("import", id);
        Principal p = access.principal();
        Imports.ImportRow row = imports.find(importId).orElseThrow(() -> ApiException.notFound("import", id));
        Access.require(p, row.collectionId(), Role.READ, () -> ApiException.notFound("import", id));
        return row;
    }

    private ImportView view(Imports.ImportRow row) {
        Imports.JobCounts jobs = imports.jobCounts(row.id());
        boolean active = jobs.queued() + jobs.running() > 0;
        String status = switch (row.status()) {
            case "unpacking" -> "unpacking";
            case "unpacked" -> active ? "ingesting" : "done";
            default -> row.status();
        };
        long ended = jobs.succeeded() + jobs.failed();
        OffsetDateTime until = active || row.status().equals("unpacking") || jobs.lastFinished() == null
                ? OffsetDateTime.now()
                : jobs.lastFinished();
        double seconds =
                Math.max(0.001, Duration.between(row.createdAt(), until).toMillis() / 1000.0);
        Double rate = ended == 0 ? null : Math.round(ended / seconds * 100) / 100.0;
        Long eta = rate == null || rate == 0 || !status.equals("ingesting")
                ? null
                : Math.round((jobs.queued() + jobs.running()) / rate);
        List<Map<String, String>> skipped;
        try {
            skipped = JSON.readValue(
                    row.skippedFiles(), JSON.getTypeFactory().constructCollectionType(List.class, Map.class));
        } catch (IOException e) {
            skipped = List.of();
        }
        OffsetDateTime finished =
                row.finishedAt() != null ? row.finishedAt() : status.equals("done") ? jobs.lastFinished() : null;
        return new ImportView(
                row.id(),
                row.collectionId(),
                row.filename(),
                status,
                row.entriesDone(),
                row.queued(),
                row.duplicates(),
                row.skipped(),
                skipped,
                new JobCountsView(jobs.queued(), jobs.running(), jobs.succeeded(), jobs.failed()),
                rate,
                eta,
                row.error(),
                row.createdAt(),
                finished);
    }
}
