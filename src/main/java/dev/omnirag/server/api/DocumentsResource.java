package dev.omnirag.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.omnirag.server.api.Views.DocumentList;
import dev.omnirag.server.api.Views.DocumentView;
import dev.omnirag.server.api.Views.UploadView;
import dev.omnirag.server.config.IngestConfig;
import dev.omnirag.server.db.CollectionEntity;
import dev.omnirag.server.db.Db;
import dev.omnirag.server.db.DocumentEntity;
import dev.omnirag.server.ingest.BlobStore;
import dev.omnirag.server.ingest.DocumentParser;
import dev.omnirag.server.ingest.IngestionWorkers;
import dev.omnirag.server.ingest.JobQueue;
import dev.omnirag.server.pages.PageImages;
import dev.omnirag.server.search.CollectionIndexes;
import dev.omnirag.server.security.Access;
import dev.omnirag.server.security.Principal;
import dev.omnirag.server.security.RequiresCollectionRole;
import dev.omnirag.server.security.Role;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.PathPart;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Uploading, listing, reading and deleting documents. *
 * <p>Long because uploads have many ways to be wrong (size, type, metadata, several files, duplicates) and each gets
 * its own clear answer here.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class DocumentsResource {

    private static final Logger LOG = Logger.getLogger(DocumentsResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Db db;
    private final BlobStore blobs;
    private final DocumentParser parser;
    private final IngestionWorkers ingestion;
    private final JobQueue jobs;
    private final CollectionIndexes indexes;
    private final IngestConfig config;
    private final PageImages pages;
    private final Access access;

    DocumentsResource(
            Db db,
            BlobStore blobs,
            DocumentParser parser,
            IngestionWorkers ingestion,
            JobQueue jobs,
            CollectionIndexes indexes,
            IngestConfig config,
            PageImages pages,
            Access access) {
        this.jobs = jobs;
        this.access = access;
        this.db = db;
        this.blobs = blobs;
        this.parser = parser;
        this.ingestion = ingestion;
        this.indexes = indexes;
        this.config = config;
        this.pages = pages;
    }

    /**
     * Stores the file and queues its ingestion: 202 with the document and job ids. The same bytes already in
     * the collection give 200 with the existing document ({@code duplicate: true}) and nothing is re-embedded.
     * An empty file is queued too; its job fails with "the file is empty (0 bytes)". Blocking (hashing, type
     * detection).
     *
     * <p>Several {@code file} parts in one request: each file is its own document and job, all queued in one
     * transaction; the answer lists them ({@link UploadBatchView}, 202, or 200 when every file was a duplicate), and a
     * file that is refused (too large, type unknown or unsupported) is listed with its reason while the others are
     * queued. The same {@code metadata} applies to every file.
     */
    @POST
    @Path("/collections/{id}/documents")
    @RequiresCollectionRole(Role.WRITE)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(
            @PathParam("id") String id, @RestForm("file") List<FileUpload> files, @RestForm("metadata") String metadata)
            throws IOException {
        UUID collectionId = Ids.parse("collection", id);
        access.requireCollection(collectionId, Role.WRITE);
        CollectionEntity collection = db.read(() -> CollectionEntity.<CollectionEntity>findById(collectionId));
        if (collection == null) {
            throw ApiException.notFound("collection", id);
        }
        List<FileUpload> uploads = files == null
                ? List.of()
                : files.stream()
                        .filter(f -> f != null && f.uploadedFile() != null)
                        .toList();
        if (uploads.isEmpty()) {
            throw ApiException.badRequest("multipart part 'file' is required");
        }
        if (uploads.size() > MAX_FILES_PER_REQUEST) {
            throw ApiException.badRequest("at most " + MAX_FILES_PER_REQUEST + " files per request; this one has "
                    + uploads.size() + " (an archive import takes more)");
        }
        String metadataJson = normaliseMetadata(metadata);
        boolean single = uploads.size() == 1;
        List<Object> results = new ArrayList<>();
        List<JobQueue.NewDocument> accepted = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (FileUpload file : uploads) {
            try {
                accepted.add(checked(file, metadataJson));
                positions.add(results.size());
                results.add(null);
            } catch (ApiException refused) {
                if (single) {
                    throw refused;
                }
                results.add(new RejectedUpload(cleanFilename(file.fileName()), refused.status(), refused.getMessage()));
            }
        }
        // The queue is durable and uploads beyond the workers' capacity wait in it; only a full queue refuses, before
        // anything of the upload is stored (concurrent uploads may overshoot the bound by a few).
        int maxQueued = config.maxQueuedJobs();
        if (!accepted.isEmpty() && jobs.queued(maxQueued) >= maxQueued) {
            long retryAfter = Math.max(1, config.queueFullRetryAfter().toSeconds());
            LOG.warnf(
                    "Upload of %d file(s) refused: %d jobs are already queued (omnirag.ingest.max-queued-jobs)",
                    accepted.size(), maxQueued);
            return Response.fromResponse(Problem.response(
                            503,
                            "the ingestion queue is full: " + maxQueued
                                    + " jobs are waiting (omnirag.ingest.max-queued-jobs); retry in " + retryAfter
                                    + " s",
                            "/v1/collections/" + id + "/documents"))
                    .header("Retry-After", Long.toString(retryAfter))
                    .build();
        }
        List<JobQueue.NewDocument> stored = new ArrayList<>(accepted.size());
        for (int i = 0; i < accepted.size(); i++) {
            JobQueue.NewDocument d = accepted.get(i);
            stored.add(new JobQueue.NewDocument(
                    d.filename(),
                    d.mediaType(),
                    d.sizeBytes(),
                    blobs.put(uploads.get(positions.get(i)).uploadedFile()),
                    d.metadata()));
        }
        List<JobQueue.Enqueued> outcomes;
        try {
            outcomes = stored.isEmpty() ? List.of() : jobs.enqueue(collectionId, stored);
        } catch (RuntimeException e) {
            stored.forEach(d -> forgetBlobIfUnused(d.sha256()));
            throw e;
        }
        boolean anyNew = false;
        for (int i = 0; i < outcomes.size(); i++) {
            JobQueue.Enqueued o = outcomes.get(i);
            if (o.duplicate()) {
                LOG.infof(
                        "Upload of %s is a duplicate of document %s",
                        stored.get(i).filename(), o.documentId());
            }
            anyNew |= !o.duplicate();
            results.set(positions.get(i), new UploadView(o.documentId(), o.jobId(), o.status(), o.duplicate()));
        }
        if (anyNew) {
            ingestion.submit();
        }
        if (single) {
            JobQueue.Enqueued o = outcomes.getFirst();
            UploadView view = new UploadView(o.documentId(), o.jobId(), o.status(), o.duplicate());
            return o.duplicate()
                    ? Response.ok(view).build()
                    : Response.accepted(view)
                            .location(URI.create("/v1/jobs/" + o.jobId()))
                            .build();
        }
        return Response.status(anyNew ? 202 : 200)
                .entity(new UploadBatchView(results))
                .build();
    }

    /** Most files in one upload request; a whole archive goes through an import. */
    static final int MAX_FILES_PER_REQUEST = 1000;

    /** Checks one uploaded file (size, type) and describes it for the queue; refuses it with a 413 or 415. */
    private JobQueue.NewDocument checked(FileUpload file, String metadataJson) throws IOException {
        long size = Files.size(file.uploadedFile());
        long limit = config.maxUploadSize().asLongValue();
        String filename = cleanFilename(file.fileName());
        if (size > limit) {
            throw new ApiException(
                    413,
                    "file is " + size + " bytes; the limit is " + limit + " bytes (omnirag.ingest.max-upload-size)");
        }
        // An empty file has no bytes to detect a type from: it is accepted (typed by its name) and its job fails
        // with a reason, like any other file that cannot be read.
        String mediaType;
        try {
            mediaType = size == 0 ? parser.detectByName(filename) : parser.detect(file.uploadedFile(), filename);
        } catch (RuntimeException e) {
            // The detector itself failed on this file or its name: its type is unknown, so it is not accepted.
            LOG.infof("Type detection failed for upload %s: %s", filename, e.toString());
            throw new ApiException(
                    415,
                    "the type of this file cannot be detected (the detector failed on it); " + "supported: "
                            + parser.supportedDescription());
        }
        if (size > 0 && mediaType.equals("application/mbox")) {
            throw new ApiException(
                    415,
                    "an mbox mailbox holds many messages: import it (POST /v1/collections/{id}/imports), "
                            + "each message becomes a document");
        }
        if (size > 0 && !parser.supports(mediaType)) {
            throw new ApiException(
                    415,
                    "unsupported media type " + mediaType + " (detected from the file's bytes); " + "supported: "
                            + parser.supportedDescription());
        }
        return new JobQueue.NewDocument(filename, mediaType, size, null, metadataJson);
    }

    /** A file of a several-file upload that was not accepted, with the status and reason it would have had alone. */
    public record RejectedUpload(String filename, int status, String error) {}

    /** The answer to a several-file upload: per file, in the request's order, an {@link UploadView} or a {@link RejectedUpload}. */
    public record UploadBatchView(List<Object> documents) {}

    /** Removes a blob this upload stored when no document refers to it (its row was never written). */
    private void forgetBlobIfUnused(String sha) {
        try {
            if (db.read(() -> DocumentEntity.count("sha256", sha)) == 0) {
                blobs.delete(sha);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("Could not remove the unused blob %s (the start-up sweep will): %s", sha, e.getMessage());
        }
    }

    @GET
    @Path("/collections/{id}/documents")
    public Uni<DocumentList> list(
            @PathParam("id") String id,
            @QueryParam("status") String status,
            @QueryParam("limit") Integer limit,
            @QueryParam("offset") Integer offset) {
        UUID collectionId = Ids.parse("collection", id);
        access.requireCollection(collectionId, Role.READ);
        if (status != null
                && !List.of(DocumentEntity.PROCESSING, DocumentEntity.READY, DocumentEntity.FAILED)
                        .contains(status)) {
            throw ApiException.badRequest("status must be processing, ready or failed; status=" + status);
        }
        if (limit != null && (limit < 1 || limit > MAX_PAGE)) {
            throw ApiException.badRequest("limit must be in 1.." + MAX_PAGE + "; limit=" + limit);
        }
        if (offset != null && offset < 0) {
            throw ApiException.badRequest("offset must be >= 0; offset=" + offset);
        }
        String query = "collectionId = ?1" + (status == null ? "" : " and status = ?2") + " order by createdAt, id";
        Object[] params = status == null ? new Object[] {collectionId} : new Object[] {collectionId, status};
        int from = offset == null ? 0 : offset;
        return Panache.withSession(() -> CollectionEntity.<CollectionEntity>findById(collectionId)
                .flatMap(c -> {
                    if (c == null) {
                        return Uni.createFrom().failure(ApiException.notFound("collection", id));
                    }
                    var found = DocumentEntity.<DocumentEntity>find(query, params);
                    // Pages in upload order; the collection's counts say how many there are.
                    var page = limit == null && from == 0
                            ? found
                            : found.range(from, from + (limit == null ? MAX_PAGE : limit) - 1);
                    return page.list()
                            .map(docs -> new DocumentList(
                                    docs.stream().map(DocumentView::of).toList()));
                }));
    }

    /** Most documents one page of the list holds. */
    static final int MAX_PAGE = 1000;

    @GET
    @Path("/documents/{id}")
    public Uni<DocumentView> get(@PathParam("id") String id) {
        UUID docId = Ids.parse("document", id);
        Principal p = access.principal();
        return Panache.withSession(() -> DocumentEntity.<DocumentEntity>findById(docId)
                .map(d -> {
                    if (d == null) {
                        throw ApiException.notFound("document", id);
                    }
                    Access.require(p, d.collectionId, Role.READ, () -> ApiException.notFound("document", id));
                    return DocumentView.of(d);
                }));
    }

    /**
     * The original bytes with the detected media type. Supports a single HTTP byte range ({@code Range:
     * bytes=a-b}, {@code a-}, {@code -n}): 206 with {@code Content-Range}; a range that cannot be satisfied or is
     * malformed gives 416 with {@code Content-Range: bytes *&#47;size}. Several ranges at once are answered with
     * the whole file (a server may ignore Range). {@code If-Range} with the ETag (the SHA-256) is honoured.
     */
    @GET
    @Path("/documents/{id}/content")
    @Produces(MediaType.WILDCARD)
    public Response content(
            @PathParam("id") String id, @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange) {
        UUID docId = Ids.parse("document", id);
        Principal p = access.principal();
        DocumentEntity d = db.read(() -> DocumentEntity.<DocumentEntity>findById(docId));
        if (d == null) {
            throw ApiException.notFound("document", id);
        }
        Access.requireDocumentFile(p, d.collectionId, docId, () -> ApiException.notFound("document", id));
        java.nio.file.Path blob = blobs.path(d.sha256);
        if (!Files.exists(blob)) {
            throw new ApiException(410, "the original file of document " + id + " is missing from the blob store");
        }
        String disposition = (inlineSafe(d.mediaType) ? "inline" : "attachment") + "; filename*=UTF-8''"
                + java.net.URLEncoder.encode(d.filename, StandardCharsets.UTF_8).replace("+", "%20");
        String etag = "\"" + d.sha256 + "\"";
        long size = d.sizeBytes;
        ByteRanges.Range r = ifRange == null || ifRange.strip().equals(etag) ? ByteRanges.parse(range, size) : null;
        if (r == ByteRanges.UNSATISFIABLE) {
            return Response.fromResponse(Problem.response(
                            416,
                            "range '" + range + "' cannot be satisfied; the file is " + size + " bytes",
                            "/v1/documents/" + id + "/content"))
                    .header("Content-Range", "bytes */" + size)
                    .header("Accept-Ranges", "bytes")
                    .build();
        }
        // A PathPart, never a File, even for the whole file: the File writer would apply the request's Range
        // header by itself, also where this method decided to send everything (a stale If-Range, several ranges).
        Response.ResponseBuilder answer = r == null
                ? Response.ok(new PathPart(blob, 0, size), d.mediaType).header("Content-Length", size)
                : Response.status(206)
                        .type(d.mediaType)
                        .entity(new PathPart(blob, r.start(), r.length()))
                        .header("Content-Range", "bytes " + r.start() + "-" + r.end() + "/" + size)
                        .header("Content-Length", r.length());
        return answer.header("Content-Disposition", disposition)
                .header("Accept-Ranges", "bytes")
                .header("ETag", etag)
                // An uploaded file is someone's content, never this server's page: whatever it is, a browser that
                // opens it runs nothing of it with this origin's rights (its scripts could read stored keys).
                .header("Content-Security-Policy", CONTENT_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Cross-Origin-Resource-Policy", "same-origin")
                .build();
    }

    /** Sent with every original file: a unique origin (sandbox), nothing loaded or run. */
    static final String CONTENT_POLICY = "sandbox; default-src 'none'";

    /**
     * Types a browser shows without running anything of them (PDF, raster images, sound, video, plain text): served
     * inline. Everything else (HTML, XHTML, XML, SVG, scripts, office files, unknown types) is an attachment.
     */
    static boolean inlineSafe(String mediaType) {
        String t = mediaType == null ? "" : mediaType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return t.equals("application/pdf")
                || t.equals("text/plain")
                || t.startsWith("audio/")
                || t.startsWith("video/")
                || t.equals("image/png")
                || t.equals("image/jpeg")
                || t.equals("image/gif")
                || t.equals("image/webp")
                || t.equals("image/bmp")
                || t.equals("image/tiff");
    }

    /** Removes the document's chunks from the index, its rows, and its blob when no other document shares it. */
    @DELETE
    @Path("/documents/{id}")
    public Response delete(@PathParam("id") String id) throws IOException {
        UUID docId = Ids.parse("document", id);
        record Deleted(
                UUID collectionId,
                int dimensions,
                int nativeDimensions,
                int companionDimensions,
                String sha,
                long stillUsed) {}
        Principal p = access.principal();
        Deleted deleted = db.tx(() -> DocumentEntity.<DocumentEntity>findById(docId)
                .onItem()
                .ifNull()
                .failWith(() -> ApiException.notFound("document", id))
                .invoke(d -> Access.require(p, d.collectionId, Role.WRITE, () -> ApiException.notFound("document", id)))
                .call(d -> d.delete())
                // One query at a time: a reactive session runs no two at once.
                .flatMap(d -> CollectionEntity.<CollectionEntity>findById(d.collectionId)
                        .flatMap(c -> DocumentEntity.count("sha256", d.sha256)
                                .map(stillUsed -> new Deleted(
                                        d.collectionId,
                                        c.dimensions,
                                        c.nativeDimensionsOrZero(),
                                        c.companionDimensionsOrZero(),
                                        d.sha256,
                                        stillUsed)))));
        var index = indexes.get(
                deleted.collectionId(),
                deleted.dimensions(),
                deleted.nativeDimensions(),
                deleted.companionDimensions());
        index.deleteDocument(docId.toString());
        index.commit();
        if (deleted.stillUsed() == 0) {
            blobs.delete(deleted.sha());
            pages.evict(deleted.sha());
        }
        return Response.noContent().build();
    }

    private static String cleanFilename(String name) {
        if (name == null || name.isBlank()) {
            return "upload";
        }
        Requests.oneLine("filename", name);
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).strip();
        return base.isEmpty() ? "upload" : base.length() > 255 ? base.substring(0, 255) : base;
    }

    /** Checks that metadata is a flat JSON object of scalars and returns it compacted. */
    static String normaliseMetadata(String metadata) {
        if (metadata == null || metadata.isBlank()) {
            return "{}";
        }
        JsonNode node;
        try {
            node = JSON.readTree(metadata);
        } catch (IOException e) {
            throw ApiException.badRequest("metadata is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("metadata must be a JSON object, e.g. {\"team\": \"aero\"}");
        }
        node.properties().forEach(e -> {
            Requests.oneLine("metadata key", e.getKey());
            Requests.multiLine(
                    "metadata value of '" + e.getKey() + "'", e.getValue().asText());
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw ApiException.badRequest("metadata values must be strings, numbers or booleans; '" + e.getKey()
                        + "' is " + e.getValue().getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            }
        });
        return node.toString();
    }
}
