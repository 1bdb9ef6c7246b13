package dev.omnirag.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.UnicodeUtil;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues;

/**
 * A {@link VectorIndex} kept in one Lucene index directory: each chunk is one Lucene document with a BM25
 * text field and an HNSW vector field, so keyword, vector and hybrid search share one store and one filter
 * implementation.
 *
 * <p>Writes go through one {@link IndexWriter}; after every write a {@link SearcherManager} is refreshed so
 * the change is searchable when the call returns (near-real-time), while durability waits for
 * {@link #commit()}. {@link #upsertDeferred} skips that refresh (each refresh writes a segment, and many small
 * segments are merged again, their HNSW graphs rebuilt): its chunks reach search at the next commit, and the
 * reads other than search refresh first when such chunks are waiting. Instances are immutable in configuration
 * and thread safe; build them with {@link #builder()}.
 *
 * <p>Documents hold: {@code chunkId} (indexed, stored, doc values for tie-breaking), {@code documentId},
 * {@code mediaType} (indexed, stored, filterable), {@code filename} (stored), {@code text} (analysed,
 * stored), {@code vector}, optionally {@code nativeVector} (a second vector space, when built with
 * {@link Builder#nativeDimensions}), optionally {@code companionVector} (the text embedded by a second text model, when
 * built with {@link Builder#companionDimensions}), the locator's {@code page}/{@code charStart}/{@code charEnd},
 * {@code bbox} (four stored doubles) and {@code startMs}/{@code endMs} (stored when set)
 * and each metadata entry as an exact-match field {@code meta.<key>}. Indexed values (ids, media type,
 * metadata values) must each stay under Lucene's 32,766-byte term limit.
 *
 * <p>Long because one Lucene index serves every search mode (BM25 with RM3 and context words, HNSW text, native and
 * companion vectors, their fusion, filters) and its writes, commits and reads of stored fields.
 */
public final class LuceneHybridIndex implements VectorIndex {

    /** Largest vector size accepted (Lucene's formats default to 1024; see HighDimensionVectorsFormat). */
    public static final int MAX_DIMENSIONS = 4096;

    static final String CHUNK_ID = "chunkId";
    static final String DOCUMENT_ID = "documentId";
    static final String FILENAME = "filename";
    static final String MEDIA_TYPE = "mediaType";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    static final String PAGE = "page";
    static final String CHAR_START = "charStart";
    static final String CHAR_END = "charEnd";
    static final String NATIVE_VECTOR = "nativeVector";
    static final String COMPANION_VECTOR = "companionVector";
    static final String BBOX = "bbox";
    static final String START_MS = "startMs";
    static final String END_MS = "endMs";
    static final String SHEET = "sheet";
    static final String META_PREFIX = "meta.";

    /** Keeps pathological query texts under Lucene's boolean clause limit (1024 by default). */
    static final int MAX_QUERY_TERMS = 512;
    /** BM25 k1 unless the builder sets another. */
    public static final float DEFAULT_BM25_K1 = 0.9f;
    /** BM25 b unless the builder sets another. */
    public static final float DEFAULT_BM25_B = 0.4f;
    /** Hits each retriever contributes to hybrid fusion unless the builder says otherwise. */
    public static final int DEFAULT_HYBRID_CANDIDATES = 300;
    /** Larger than Lucene's 16 MB default: fewer, larger segments mean fewer HNSW graphs to build and merge. */
    private static final double RAM_BUFFER_MB = 64;

    /** Best score first, ties by chunkId ascending (UTF-8 byte order, which is code point order). */
    private static final Sort RANKING = new Sort(SortField.FIELD_SCORE, new SortField(CHUNK_ID, SortField.Type.STRING));

    private final Path path;
    private final int dimensions;
    private final int nativeDimensions;
    private final int companionDimensions;
    private final VectorSimilarity similarity;
    private final VectorQuantization quantization;
    private final int efSearch;
    private final int hybridCandidates;
    private final int rrfK;
    private final Analyzer analyzer;
    private final boolean ownsAnalyzer;
    /** The analysis recorded in the index's commits; null where the builder was given an analyzer. */
    private final TextAnalysis textAnalysis;

    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searcherManager;
    /**
     * Guards writes, not searches (SearcherManager handles those). Upserts, commits and merges share the read
     * side, since IndexWriter is itself thread safe; deleteDocument takes the write side so the count it
     * returns matches what it deletes, and close takes it so nothing is mid-write while files are released.
     */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    private volatile boolean closed;

    /** Chunks written by {@link #upsertDeferred} that no searcher shows yet. */
    private final AtomicBoolean deferred = new AtomicBoolean();

    private LuceneHybridIndex(Builder b) {
        this.path = b.path;
        this.dimensions = b.dimensions;
        this.nativeDimensions = b.nativeDimensions;
        this.companionDimensions = b.companionDimensions;
        this.similarity = b.similarity;
        this.quantization = b.quantization;
        this.efSearch = b.efSearch;
        this.hybridCandidates = b.hybridCandidates;
        this.rrfK = b.rrfK;
        this.ownsAnalyzer = b.analyzer == null;
        this.textAnalysis = ownsAnalyzer ? analysisAt(b.path) : null;
        this.analyzer = ownsAnalyzer ? textAnalysis.newAnalyzer() : b.analyzer;

        Directory dir = null;
        IndexWriter w = null;
        SearcherManager sm = null;
        try {
            Files.createDirectories(path);
            dir = FSDirectory.open(path);
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setCodec(codec(vectorsFormat(b.quantization, b.hnswM, b.hnswBeamWidth)))
                    .setRAMBufferSizeMB(RAM_BUFFER_MB)
                    // close() commits explicitly so a failed commit can still release the lock via rollback.
                    .setCommitOnClose(false);
            w = new IndexWriter(dir, config);
            if (textAnalysis != null) {
                w.setLiveCommitData(textAnalysis.commitData().entrySet());
            }
            BM25Similarity bm25 = new BM25Similarity(b.bm25K1, b.bm25B);
            sm = new SearcherManager(w, new SearcherFactory() {
                @Override
                public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) {
                    IndexSearcher searcher = new IndexSearcher(reader);
                    searcher.setSimilarity(bm25);
                    return searcher;
                }
            });
            checkSchema(sm);
        } catch (IOException | RuntimeException e) {
            releaseAfterFailedOpen(sm, w, dir);
            if (e instanceof IOException io) {
                throw ioFailure("open", io);
            }
            if (e instanceof IndexException ie) {
                throw ie;
            }
            throw new IndexException.NonRetriable("cannot open index at " + path + ": " + e.getMessage(), e);
        }
        this.directory = dir;
        this.writer = w;
        this.searcherManager = sm;
    }

    private static TextAnalysis analysisAt(Path path) {
        try {
            return TextAnalysis.of(path);
        } catch (IOException e) {
            throw new IndexException.NonRetriable("cannot open index at " + path + ": " + e.getMessage(), e);
        }
    }

    /** A builder; {@link Builder#path} and {@link Builder#dimensions} are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public int nativeDimensions() {
        return nativeDimensions;
    }

    @Override
    public int companionDimensions() {
        return companionDimensions;
    }

    /**
     * How the text field and keyword queries are analysed, as the index records it; empty where the builder was
     * given an analyzer of its own.
     */
    public Optional<TextAnalysis> textAnalysis() {
        return Optional.ofNullable(textAnalysis);
    }

    /** The index directory. */
    public Path path() {
        return path;
    }

    /** The vector similarity the index was built with. */
    public VectorSimilarity similarity() {
        return similarity;
    }

    /** The vector storage used for segments written by this instance. */
    public VectorQuantization quantization() {
        return quantization;
    }

    @Override
    public void upsert(List<IndexedChunk> chunks) {
        write(chunks, true);
    }

    @Override
    public void upsertDeferred(List<IndexedChunk> chunks) {
        write(chunks, false);
    }

    /** Adds or replaces {@code chunks}; with {@code refresh}, search sees them on return (and earlier deferred ones). */
    private void write(List<IndexedChunk> chunks, boolean refresh) {
        Objects.requireNonNull(chunks, "chunks must not be null");
        // Validate and build everything first so a bad chunk rejects the batch before any of it is written.
        List<Document> docs = new ArrayList<>(chunks.size());
        for (IndexedChunk chunk : chunks) {
            Objects.requireNonNull(chunk, "chunks must not contain null");
            checkVector(chunk.vector(), "vector of chunk " + chunk.chunkId());
            if (chunk.nativeVector() != null) {
                checkNativeVector(chunk.nativeVector(), "native vector of chunk " + chunk.chunkId());
            }
            if (chunk.companionVector() != null) {
                checkCompanionVector(chunk.companionVector(), "companion vector of chunk " + chunk.chunkId());
            }
            checkTerms(chunk);
            docs.add(toDocument(chunk));
        }
        lock.readLock().lock();
        try {
            ensureOpen();
            if (docs.isEmpty()) {
                return;
            }
            for (int i = 0; i < docs.size(); i++) {
                writer.updateDocument(new Term(CHUNK_ID, chunks.get(i).chunkId()), docs.get(i));
            }
            if (refresh) {
                deferred.set(false);
                searcherManager.maybeRefreshBlocking();
            } else {
                deferred.set(true);
            }
        } catch (IOException e) {
            throw ioFailure("upsert into", e);
        } catch (AlreadyClosedException e) {
            throw closedException(e);
        } catch (IllegalArgumentException e) {
            // Lucene's own checks: a term over 32,766 bytes, a vector schema clash with existing segments.
            throw new IndexException.NonRetriable("cannot index chunks into " + path + ": " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long deleteDocument(String documentId) {
        IndexedChunk.requireText("documentId", documentId);
        Term term = new Term(DOCUMENT_ID, documentId);
        lock.writeLock().lock();
        try {
            ensureOpen();
            long count = count(new TermQuery(term)); // deferred chunks included: count refreshes for them
            if (count > 0) {
                writer.deleteDocuments(term);
                searcherManager.maybeRefreshBlocking();
            }
            return count;
        } catch (IOException e) {
            throw ioFailure("delete document " + documentId + " from", e);
        } catch (AlreadyClosedException e) {
            throw closedException(e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Map<String, String> texts(List<String> chunkIds) {
        Objects.requireNonNull(chunkIds, "chunkIds must not be null");
        return withSearcher("read texts from", searcher -> {
            Map<String, String> out = new java.util.LinkedHashMap<>();
            StoredFields stored = searcher.storedFields();
            for (String id : chunkIds) {
                int doc = docOf(searcher, id);
                String text = doc < 0 ? null : stored.document(doc).get(TEXT);
                if (text != null) {
                    out.put(id, text);
                }
            }
            return out;
        });
    }

    /** The Lucene document of a chunk id, or -1. */
    private static int docOf(IndexSearcher searcher, String chunkId) throws IOException {
        TopDocs top = searcher.search(new TermQuery(new Term(CHUNK_ID, chunkId)), 1);
        return top.scoreDocs.length == 0 ? -1 : top.scoreDocs[0].doc;
    }

    /** Work on an acquired searcher that may fail with an I/O error. */
    @FunctionalInterface
    private interface SearcherWork<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    /** Runs {@code work} on a searcher acquired for it; an I/O failure says what it was doing ({@code what}). */
    private <T> T withSearcher(String what, SearcherWork<T> work) {
        IndexSearcher searcher = acquireCurrent();
        try {
            return work.apply(searcher);
        } catch (IOException e) {
            throw ioFailure(what, e);
        } catch (AlreadyClosedException e) {
            throw closedException(e);
        } finally {
            release(searcher);
        }
    }

    @Override
    public Map<String, float[]> vectors(List<String> chunkIds, VectorField field) {
        Objects.requireNonNull(chunkIds, "chunkIds must not be null");
        Objects.requireNonNull(field, "field must not be null");
        String name = switch (field) {
            case TEXT -> VECTOR;
            case NATIVE -> NATIVE_VECTOR;
            case COMPANION -> COMPANION_VECTOR;
        };
        return withSearcher("read vectors from", searcher -> {
            Map<String, float[]> out = new java.util.LinkedHashMap<>();
            for (String id : chunkIds) {
                int doc = docOf(searcher, id);
                if (doc < 0) {
                    continue;
                }
                LeafReaderContext leaf = searcher.getIndexReader()
                        .leaves()
                        .get(org.apache.lucene.index.ReaderUtil.subIndex(
                                doc, searcher.getIndexReader().leaves()));
                org.apache.lucene.index.FloatVectorValues values = leaf.reader().getFloatVectorValues(name);
                if (values == null) {
                    continue;
                }
                org.apache.lucene.index.KnnVectorValues.DocIndexIterator it = values.iterator();
                if (it.advance(doc - leaf.docBase) == doc - leaf.docBase) {
                    out.put(id, values.vectorValue(it.index()).clone());
                }
            }
            return out;
        });
    }

    @Override
    public long count() {
        IndexSearcher searcher = acquireCurrent();
        try {
            return searcher.getIndexReader().numDocs();
        } finally {
            release(searcher);
        }
    }

    @Override
    public long countDocument(String documentId) {
        IndexedChunk.requireText("documentId", documentId);
        return count(new TermQuery(new Term(DOCUMENT_ID, documentId)));
    }

    @Override
    public Map<String, Long> documentChunkCounts() {
        IndexSearcher searcher = acquireCurrent();
        try {
            Map<String, Long> out = new HashMap<>();
            PostingsEnum postings = null;
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                Terms terms = leaf.reader().terms(DOCUMENT_ID);
                if (terms == null) {
                    continue;
                }
                Bits live = leaf.reader().getLiveDocs();
                TermsEnum te = terms.iterator();
                for (BytesRef term = te.next(); term != null; term = te.next()) {
                    postings = te.postings(postings, PostingsEnum.NONE);
                    long n = 0;
                    for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                        if (live == null || live.get(doc)) {
                            n++;
                        }
                    }
                    if (n > 0) {
                        out.merge(term.utf8ToString(), n, Long::sum);
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw ioFailure("count chunks per document in", e);
        } finally {
            release(searcher);
        }
    }

    @Override
    public void commit() {
        lock.readLock().lock();
        try {
            ensureOpen();
            writer.commit();
            publishDeferred();
        } catch (IOException e) {
            throw ioFailure("commit", e);
        } catch (AlreadyClosedException e) {
            throw closedException(e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Merges the index down to at most {@code maxSegments} segments and refreshes search. Searching one
     * large HNSW graph is faster than searching many small ones, so call this after a bulk load; it is
     * expensive (graphs are rebuilt) and blocks until done.
     */
    public void forceMerge(int maxSegments) {
        if (maxSegments < 1) {
            throw new IllegalArgumentException("maxSegments must be >= 1; maxSegments=" + maxSegments);
        }
        lock.readLock().lock();
        try {
            ensureOpen();
            writer.forceMerge(maxSegments);
            searcherManager.maybeRefreshBlocking();
        } catch (IOException e) {
            throw ioFailure("force-merge", e);
        } catch (AlreadyClosedException e) {
            throw closedException(e);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            Exception failure = null;
            boolean committed = false;
            try {
                writer.commit();
                committed = true;
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
            failure = closeQuietly(searcherManager, failure);
            if (committed) {
                failure = closeQuietly(writer, failure);
            } else {
                // rollback releases the write lock without attempting another commit.
                try {
                    writer.rollback();
                } catch (IOException | RuntimeException e) {
                    failure = addFailure(failure, e);
                }
            }
            failure = closeQuietly(directory, failure);
            if (ownsAnalyzer) {
                analyzer.close();
            }
            if (failure != null) {
                throw new IndexException.Retriable("cannot close index at " + path + " cleanly: " + failure, failure);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public List<SearchHit> search(SearchRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        if (request.mode() != SearchMode.KEYWORD && request.queryVector() != null) {
            checkVector(request.queryVector(), "query vector");
        }
        if (request.mode() != SearchMode.KEYWORD && request.nativeQueryVector() != null) {
            checkNativeVector(request.nativeQueryVector(), "native query vector");
        }
        if (request.mode() != SearchMode.KEYWORD && request.companion() != null) {
            checkCompanionVector(request.companion().vector(), "companion query vector");
        }
        IndexSearcher searcher = acquire();
        try {
            Query filter = filterQuery(request.filter());
            int k = request.k();
            List<Ranked> ranked = switch (request.mode()) {
                case KEYWORD -> keyword(searcher, request, filter, k);
                case VECTOR ->
                    request.nativeQueryVector() == null && request.companion() == null
                            ? vector(searcher, VECTOR, request.queryVector(), filter, k)
                            : request.queryVector() == null && request.companion() == null
                                    ? vector(searcher, NATIVE_VECTOR, request.nativeQueryVector(), filter, k)
                                    : fused(searcher, request, filter, false);
                case HYBRID -> fused(searcher, request, filter, true);
            };
            return toHits(searcher, ranked);
        } catch (IOException e) {
            throw ioFailure("search", e);
        } catch (AlreadyClosedException e) {
            throw closedException(e);
        } finally {
            release(searcher);
        }
    }

    // ---- retrieval -------------------------------------------------------------------------------------

    /** A hit before its stored fields are loaded: Lucene doc id (valid for one searcher), score, chunkId. */
    private record Ranked(int doc, double score, String chunkId) {}

    private List<Ranked> keyword(IndexSearcher searcher, SearchRequest request, Query filter, int n)
            throws IOException {
        Map<String, Double> terms = counts(queryTerms(request.queryText()));
        addContext(searcher, terms, request.context());
        if (terms.isEmpty()) {
            return List.of();
        }
        Query query = filtered(weightedTerms(terms), filter);
        if (request.expansion() == QueryExpansion.RM3) {
            query = filtered(rm3(searcher, terms, query), filter);
        }
        return ranked(searcher.search(query, n, RANKING, false), false);
    }

    private static Map<String, Double> counts(Map<String, Integer> terms) {
        Map<String, Double> out = new LinkedHashMap<>();
        terms.forEach((t, c) -> out.put(t, c.doubleValue()));
        return out;
    }

    /**
     * Adds each context text's words to the query terms with the context's weight: distinct words found in the index,
     * the rarest {@link KeywordContext#MAX_TERMS} (words the index lacks cannot match and are left out).
     */
    private void addContext(IndexSearcher searcher, Map<String, Double> terms, List<KeywordContext> context)
            throws IOException {
        for (KeywordContext c : context) {
            Map<String, Integer> frequencies = new HashMap<>();
            for (String t : queryTerms(c.text()).keySet()) {
                int df = searcher.getIndexReader().docFreq(new Term(TEXT, t));
                if (df > 0) {
                    frequencies.put(t, df);
                }
            }
            frequencies.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .limit(KeywordContext.MAX_TERMS)
                    .forEach(e -> terms.merge(e.getKey(), c.weight(), Double::sum));
        }
    }

    private static Query filtered(Query terms, Query filter) {
        if (filter == null) {
            return terms;
        }
        return new BooleanQuery.Builder()
                .add(terms, BooleanClause.Occur.MUST)
                .add(filter, BooleanClause.Occur.FILTER)
                .build();
    }

    /** RM3: feedback documents of the first pass. */
    static final int RM3_FEEDBACK_DOCS = 10;
    /** RM3: expansion terms kept. */
    static final int RM3_FEEDBACK_TERMS = 10;
    /** RM3: weight of the original query in the interpolation. */
    static final double RM3_ORIGINAL_WEIGHT = 0.5;
    /** RM3: terms in more than this share of the chunks carry no evidence and are not expansion terms. */
    static final double RM3_MAX_DOCUMENT_FREQUENCY = 0.1;

    /**
     * The RM3 query (Anserini's defaults: 10 feedback documents, 10 terms, original weight 0.5): each feedback
     * chunk's analysed terms as an L1-normalised vector, weighted by the chunk's first-pass score and summed; the
     * heaviest terms kept and L1-normalised; then interpolated with the L1-normalised original query. Terms shorter
     * than two characters, numbers and terms in more than a tenth of the chunks are not used for expansion.
     */
    private Query rm3(IndexSearcher searcher, Map<String, Double> original, Query firstPass) throws IOException {
        TopDocs top = searcher.search(firstPass, RM3_FEEDBACK_DOCS);
        if (top.scoreDocs.length == 0) {
            return weightedTerms(original);
        }
        StoredFields stored = searcher.storedFields();
        int chunks = searcher.getIndexReader().numDocs();
        Map<String, Double> relevance = new HashMap<>();
        Map<String, Boolean> usable = new HashMap<>();
        for (ScoreDoc sd : top.scoreDocs) {
            String text = stored.document(sd.doc).get(TEXT);
            if (text == null) {
                continue;
            }
            Map<String, Integer> tf = queryTerms(text);
            double length = 0;
            for (var e : tf.entrySet()) {
                boolean keep = usable.computeIfAbsent(e.getKey(), t -> expansionTerm(searcher, t, chunks));
                if (keep) {
                    length += e.getValue();
                }
            }
            if (length == 0) {
                continue;
            }
            for (var e : tf.entrySet()) {
                if (usable.get(e.getKey())) {
                    relevance.merge(e.getKey(), e.getValue() / length * sd.score, Double::sum);
                }
            }
        }
        List<Map.Entry<String, Double>> best = new ArrayList<>(relevance.entrySet());
        best.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        best = best.subList(0, Math.min(RM3_FEEDBACK_TERMS, best.size()));
        double feedbackNorm = best.stream().mapToDouble(Map.Entry::getValue).sum();
        double queryNorm =
                original.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> weights = new LinkedHashMap<>();
        original.forEach((t, c) -> weights.merge(t, RM3_ORIGINAL_WEIGHT * c / queryNorm, Double::sum));
        if (feedbackNorm > 0) {
            for (var e : best) {
                weights.merge(e.getKey(), (1 - RM3_ORIGINAL_WEIGHT) * e.getValue() / feedbackNorm, Double::sum);
            }
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        weights.forEach((t, w) -> query.add(
                new BoostQuery(new TermQuery(new Term(TEXT, t)), (float) w.doubleValue()), BooleanClause.Occur.SHOULD));
        return query.build();
    }

    /** The keyword query {@code text} becomes with RM3 expansion, term to weight (for tests). */
    Map<String, Float> rm3Weights(String text) {
        IndexSearcher searcher = acquire();
        try {
            Map<String, Double> terms = counts(queryTerms(text));
            Query q = rm3(searcher, terms, weightedTerms(terms));
            Map<String, Float> out = new LinkedHashMap<>();
            for (BooleanClause c : ((BooleanQuery) q).clauses()) {
                BoostQuery b = (BoostQuery) c.query();
                out.put(((TermQuery) b.getQuery()).getTerm().text(), b.getBoost());
            }
            return out;
        } catch (IOException e) {
            throw ioFailure("search", e);
        } finally {
            release(searcher);
        }
    }

    private static boolean expansionTerm(IndexSearcher searcher, String term, int chunks) {
        if (term.length() < 2 || term.chars().allMatch(Character::isDigit)) {
            return false;
        }
        try {
            int df = searcher.getIndexReader().docFreq(new Term(TEXT, term));
            return chunks == 0 || (double) df / chunks <= RM3_MAX_DOCUMENT_FREQUENCY;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<Ranked> vector(IndexSearcher searcher, String field, float[] vector, Query filter, int n)
            throws IOException {
        // The graph is explored with efSearch candidates even for small k: that is what buys recall.
        Query query = new KnnFloatVectorQuery(field, vector, Math.max(n, efSearch), filter);
        return ranked(searcher.search(query, n, RANKING, false), true);
    }

    /** HYBRID or VECTOR with both vector lists, as {@link HybridFusion#search} orchestrates it for every backend. */
    private List<Ranked> fused(IndexSearcher searcher, SearchRequest request, Query filter, boolean withKeyword)
            throws IOException {
        return HybridFusion.search(
                request, withKeyword, hybridCandidates, rrfK, new HybridFusion.Retrievers<Ranked, IOException>() {
                    @Override
                    public List<Ranked> keyword(int n) throws IOException {
                        return LuceneHybridIndex.this.keyword(searcher, request, filter, n);
                    }

                    @Override
                    public List<Ranked> vector(HybridFusion.VectorField field, float[] vector, int n)
                            throws IOException {
                        String name = switch (field) {
                            case TEXT -> VECTOR;
                            case NATIVE -> NATIVE_VECTOR;
                            case COMPANION -> COMPANION_VECTOR;
                        };
                        return LuceneHybridIndex.this.vector(searcher, name, vector, filter, n);
                    }

                    @Override
                    public String chunkId(Ranked hit) {
                        return hit.chunkId();
                    }

                    @Override
                    public double score(Ranked hit) {
                        return hit.score();
                    }

                    @Override
                    public Ranked withScore(Ranked hit, double score) {
                        return new Ranked(hit.doc(), score, hit.chunkId());
                    }
                });
    }

    private static List<Ranked> ranked(TopFieldDocs top, boolean similarityScores) {
        List<Ranked> out = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc sd : top.scoreDocs) {
            FieldDoc fd = (FieldDoc) sd;
            // The score is read from the sort values: asking Lucene to fill ScoreDoc.score (doDocScores)
            // would run the query a second time, which for a KNN query means a second graph search.
            double score = (Float) fd.fields[0];
            String chunkId = ((BytesRef) fd.fields[1]).utf8ToString();
            if (similarityScores) {
                // Quantized scores are estimates and may stray just outside the documented [0, 1].
                score = Math.min(1.0, Math.max(0.0, score));
            }
            out.add(new Ranked(fd.doc, score, chunkId));
        }
        return out;
    }

    /**
     * The analysed terms of {@code text} with how often each occurs (a bag of words), in first-occurrence order, at
     * most {@link #MAX_QUERY_TERMS} distinct ones. No query syntax is interpreted, so user input such as
     * {@code a AND (b} or {@code title:"x} cannot fail to parse.
     */
    private Map<String, Integer> queryTerms(String text) throws IOException {
        Map<String, Integer> terms = new LinkedHashMap<>();
        try (TokenStream stream = analyzer.tokenStream(TEXT, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                String t = term.toString();
                if (terms.containsKey(t) || terms.size() < MAX_QUERY_TERMS) {
                    terms.merge(t, 1, Integer::sum);
                }
            }
            stream.end();
        }
        return terms;
    }

    /**
     * A disjunction of the terms, each weighted by how often the query says it: a query that says "boundary" three
     * times means it more than one that says it once.
     */
    private static Query weightedTerms(Map<String, Double> terms) {
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        terms.forEach((t, weight) -> {
            Query q = new TermQuery(new Term(TEXT, t));
            query.add(weight == 1 ? q : new BoostQuery(q, weight.floatValue()), BooleanClause.Occur.SHOULD);
        });
        return query.build();
    }

    private static Query filterQuery(SearchFilter filter) {
        if (filter.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        if (filter.documentId() != null && !filter.documentId().isEmpty()) {
            query.add(new TermQuery(new Term(DOCUMENT_ID, filter.documentId())), BooleanClause.Occur.FILTER);
        }
        if (filter.mediaType() != null && !filter.mediaType().isEmpty()) {
            query.add(new TermQuery(new Term(MEDIA_TYPE, filter.mediaType())), BooleanClause.Occur.FILTER);
        }
        filter.metadata()
                .forEach((key, value) ->
                        query.add(new TermQuery(new Term(META_PREFIX + key, value)), BooleanClause.Occur.FILTER));
        return query.build();
    }

    private List<SearchHit> toHits(IndexSearcher searcher, List<Ranked> ranked) throws IOException {
        if (ranked.isEmpty()) {
            return List.of();
        }
        StoredFields stored = searcher.storedFields();
        List<SearchHit> hits = new ArrayList<>(ranked.size());
        for (Ranked r : ranked) {
            hits.add(toHit(stored.document(r.doc()), r.score()));
        }
        return List.copyOf(hits);
    }

    private long count(Query query) {
        IndexSearcher searcher = acquireCurrent();
        try {
            return searcher.count(query);
        } catch (IOException e) {
            throw ioFailure("count", e);
        } finally {
            release(searcher);
        }
    }

    // ---- documents -------------------------------------------------------------------------------------

    private Document toDocument(IndexedChunk chunk) {
        Document doc = new Document();
        doc.add(new StringField(CHUNK_ID, chunk.chunkId(), Field.Store.YES));
        doc.add(new SortedDocValuesField(CHUNK_ID, new BytesRef(chunk.chunkId())));
        doc.add(new StringField(DOCUMENT_ID, chunk.documentId(), Field.Store.YES));
        doc.add(new StoredField(FILENAME, chunk.filename()));
        doc.add(new StringField(MEDIA_TYPE, chunk.mediaType(), Field.Store.YES));
        if (chunk.keywordText() == null) {
            doc.add(new TextField(TEXT, chunk.text(), Field.Store.YES));
        } else {
            // Hits return the chunk's own text; BM25 reads the keyword text (same field, indexed apart from stored).
            doc.add(new StoredField(TEXT, chunk.text()));
            doc.add(new TextField(TEXT, chunk.keywordText(), Field.Store.NO));
        }
        doc.add(new KnnFloatVectorField(VECTOR, chunk.vector(), similarity.lucene()));
        if (chunk.nativeVector() != null) {
            doc.add(new KnnFloatVectorField(NATIVE_VECTOR, chunk.nativeVector(), similarity.lucene()));
        }
        if (chunk.companionVector() != null) {
            doc.add(new KnnFloatVectorField(COMPANION_VECTOR, chunk.companionVector(), similarity.lucene()));
        }
        Locator locator = chunk.locator();
        if (locator.page() != null) {
            doc.add(new StoredField(PAGE, locator.page()));
        }
        if (locator.charStart() != null) {
            doc.add(new StoredField(CHAR_START, locator.charStart()));
        }
        if (locator.charEnd() != null) {
            doc.add(new StoredField(CHAR_END, locator.charEnd()));
        }
        if (locator.bbox() != null) {
            BoundingBox box = locator.bbox();
            for (double v : new double[] {box.x(), box.y(), box.w(), box.h()}) {
                doc.add(new StoredField(BBOX, v));
            }
        }
        if (locator.startMs() != null) {
            doc.add(new StoredField(START_MS, locator.startMs()));
        }
        if (locator.endMs() != null) {
            doc.add(new StoredField(END_MS, locator.endMs()));
        }
        if (locator.sheet() != null) {
            doc.add(new StoredField(SHEET, locator.sheet()));
        }
        chunk.metadata().forEach((key, value) -> doc.add(new StringField(META_PREFIX + key, value, Field.Store.YES)));
        return doc;
    }

    private static SearchHit toHit(Document doc, double score) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (IndexableField field : doc) {
            if (field.name().startsWith(META_PREFIX)) {
                metadata.put(field.name().substring(META_PREFIX.length()), field.stringValue());
            }
        }
        IndexableField[] box = doc.getFields(BBOX);
        BoundingBox bbox = box.length == 4
                ? new BoundingBox(
                        box[0].numericValue().doubleValue(),
                        box[1].numericValue().doubleValue(),
                        box[2].numericValue().doubleValue(),
                        box[3].numericValue().doubleValue())
                : null;
        Locator locator = new Locator(
                storedInt(doc, PAGE),
                storedInt(doc, CHAR_START),
                storedInt(doc, CHAR_END),
                bbox,
                storedLong(doc, START_MS),
                storedLong(doc, END_MS),
                doc.get(SHEET));
        return new SearchHit(
                doc.get(CHUNK_ID),
                doc.get(DOCUMENT_ID),
                doc.get(FILENAME),
                doc.get(MEDIA_TYPE),
                doc.get(TEXT),
                score,
                locator,
                metadata);
    }

    private static Integer storedInt(Document doc, String field) {
        IndexableField f = doc.getField(field);
        return f == null ? null : f.numericValue().intValue();
    }

    private static Long storedLong(Document doc, String field) {
        IndexableField f = doc.getField(field);
        return f == null ? null : f.numericValue().longValue();
    }

    // ---- checks and plumbing ---------------------------------------------------------------------------

    private void checkVector(float[] vector, String what) {
        VectorChecks.check(vector, dimensions, similarity, what, "the index at " + path);
    }

    private void checkNativeVector(float[] vector, String what) {
        if (nativeDimensions == 0) {
            throw new IndexException.NonRetriable(
                    what + " given, but the index at " + path + " has no native vector field (nativeDimensions=0)");
        }
        VectorChecks.check(
                vector, nativeDimensions, similarity, what, "the native vector field of the index at " + path);
    }

    private void checkCompanionVector(float[] vector, String what) {
        if (companionDimensions == 0) {
            throw new IndexException.NonRetriable(what + " given, but the index at " + path
                    + " has no companion vector field (companionDimensions=0)");
        }
        VectorChecks.check(
                vector, companionDimensions, similarity, what, "the companion vector field of the index at " + path);
    }

    /** Exact-match fields become single terms, which Lucene caps; checked up front to keep batches whole. */
    private static void checkTerms(IndexedChunk chunk) {
        checkTerm("chunkId", chunk.chunkId(), chunk);
        checkTerm("documentId", chunk.documentId(), chunk);
        checkTerm("mediaType", chunk.mediaType(), chunk);
        chunk.metadata().forEach((key, value) -> checkTerm("metadata value of " + key, value, chunk));
    }

    private static void checkTerm(String what, String value, IndexedChunk chunk) {
        int bytes = UnicodeUtil.calcUTF16toUTF8Length(value, 0, value.length());
        if (bytes > IndexWriter.MAX_TERM_LENGTH) {
            throw new IndexException.NonRetriable(what + " of chunk " + abbreviate(chunk.chunkId()) + " is " + bytes
                    + " bytes; at most " + IndexWriter.MAX_TERM_LENGTH + " can be indexed");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }

    /** Refuses to open an index whose existing vectors were written with another size or similarity. */
    private void checkSchema(SearcherManager sm) throws IOException {
        IndexSearcher searcher = sm.acquire();
        try {
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                FieldInfo companionInfo = leaf.reader().getFieldInfos().fieldInfo(COMPANION_VECTOR);
                if (companionInfo != null
                        && companionInfo.getVectorDimension() != 0
                        && companionDimensions != 0
                        && companionInfo.getVectorDimension() != companionDimensions) {
                    throw new IndexException.NonRetriable("index at " + path + " holds companion vectors of "
                            + companionInfo.getVectorDimension() + " dimensions but companionDimensions="
                            + companionDimensions
                            + " was configured; use the same companion embedder or rebuild the index");
                }
                FieldInfo nativeInfo = leaf.reader().getFieldInfos().fieldInfo(NATIVE_VECTOR);
                if (nativeInfo != null
                        && nativeInfo.getVectorDimension() != 0
                        && nativeInfo.getVectorDimension() != nativeDimensions) {
                    throw new IndexException.NonRetriable("index at " + path + " holds native vectors of "
                            + nativeInfo.getVectorDimension() + " dimensions but nativeDimensions=" + nativeDimensions
                            + " was configured; use the same multimodal embedder or rebuild the index");
                }
                FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(VECTOR);
                if (info == null || info.getVectorDimension() == 0) {
                    continue;
                }
                if (info.getVectorDimension() != dimensions) {
                    throw new IndexException.NonRetriable("index at " + path + " holds vectors of "
                            + info.getVectorDimension() + " dimensions but dimensions=" + dimensions
                            + " was configured; use the same embedding model or rebuild the index");
                }
                if (info.getVectorSimilarityFunction() != similarity.lucene()) {
                    throw new IndexException.NonRetriable("index at " + path + " uses vector similarity "
                            + info.getVectorSimilarityFunction() + " but similarity=" + similarity
                            + " was configured");
                }
            }
        } finally {
            sm.release(searcher);
        }
    }

    private static Codec codec(KnnVectorsFormat format) {
        // Subclassing the default codec keeps the codec name "Lucene104"; the per-field vector format name is
        // recorded in each segment, so readers need no custom codec registration.
        return new Lucene104Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return format;
            }
        };
    }

    private static KnnVectorsFormat vectorsFormat(VectorQuantization quantization, int m, int beamWidth) {
        KnnVectorsFormat format = switch (quantization) {
            case NONE -> new Lucene99HnswVectorsFormat(m, beamWidth);
            case INT8 ->
                new Lucene104HnswScalarQuantizedVectorsFormat(
                        QuantizedByteVectorValues.ScalarEncoding.UNSIGNED_BYTE, m, beamWidth, 1, null);
        };
        return new HighDimensionVectorsFormat(format, MAX_DIMENSIONS);
    }

    /** A searcher that shows every write so far, deferred ones included: for the reads other than search. */
    private IndexSearcher acquireCurrent() {
        ensureOpen();
        try {
            publishDeferred();
        } catch (AlreadyClosedException e) {
            throw closedException(e);
        } catch (IOException e) {
            throw ioFailure("refresh a searcher on", e);
        }
        return acquire();
    }

    /** Refreshes search when deferred chunks wait (cleared first: a write racing with it sets it again). */
    private void publishDeferred() throws IOException {
        if (deferred.getAndSet(false)) {
            searcherManager.maybeRefreshBlocking();
        }
    }

    private IndexSearcher acquire() {
        ensureOpen();
        try {
            return searcherManager.acquire();
        } catch (AlreadyClosedException e) {
            throw closedException(e);
        } catch (IOException e) {
            throw ioFailure("open a searcher on", e);
        }
    }

    private void release(IndexSearcher searcher) {
        try {
            searcherManager.release(searcher);
        } catch (IOException e) {
            throw ioFailure("release a searcher on", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IndexException.NonRetriable("index at " + path + " is closed");
        }
    }

    private IndexException closedException(AlreadyClosedException e) {
        // Either close() ran, or the IndexWriter hit a tragic error and closed itself: reopening is needed.
        String why = closed ? "is closed" : "was closed after an unrecoverable error";
        return new IndexException.NonRetriable("index at " + path + " " + why + ": " + e.getMessage(), e);
    }

    private IndexException ioFailure(String action, IOException e) {
        String message = "cannot " + action + " index at " + path + ": " + e;
        if (e instanceof CorruptIndexException
                || e instanceof IndexFormatTooOldException
                || e instanceof IndexFormatTooNewException) {
            // Damaged or foreign files stay damaged: retrying cannot help.
            return new IndexException.NonRetriable(message, e);
        }
        return new IndexException.Retriable(message, e);
    }

    private static Exception closeQuietly(Closeable closeable, Exception failure) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException e) {
            return addFailure(failure, e);
        }
        return failure;
    }

    private static Exception addFailure(Exception failure, Exception e) {
        if (failure == null) {
            return e;
        }
        failure.addSuppressed(e);
        return failure;
    }

    private void releaseAfterFailedOpen(SearcherManager sm, IndexWriter w, Directory dir) {
        Exception ignored = null;
        if (sm != null) {
            ignored = closeQuietly(sm, ignored);
        }
        if (w != null) {
            try {
                w.rollback();
            } catch (IOException | RuntimeException e) {
                ignored = addFailure(ignored, e);
            }
        }
        if (dir != null) {
            closeQuietly(dir, ignored);
        }
        if (ownsAnalyzer) {
            analyzer.close();
        }
    }

    /**
     * Configures and opens a {@link LuceneHybridIndex}. Setters validate immediately and name the offending
     * parameter and value; {@link #build()} checks that the required ones were given.
     */
    public static final class Builder {
        private Path path;
        private int dimensions;
        private int nativeDimensions;
        private int companionDimensions;
        private VectorSimilarity similarity = VectorSimilarity.DOT_PRODUCT;
        private VectorQuantization quantization = VectorQuantization.NONE;
        private int hnswM = 16;
        private int hnswBeamWidth = 100;
        private int efSearch = 100;
        private int hybridCandidates = DEFAULT_HYBRID_CANDIDATES;
        private int rrfK = 60;
        private float bm25K1 = DEFAULT_BM25_K1;
        private float bm25B = DEFAULT_BM25_B;
        private Analyzer analyzer;

        private Builder() {}

        /**
         * BM25's term-frequency saturation k1 (0..3) and length normalisation b (0..1) for keyword search; default
         * {@value LuceneHybridIndex#DEFAULT_BM25_K1} and {@value LuceneHybridIndex#DEFAULT_BM25_B}, the values of the
         * Lucene reference runs (Anserini), which suit short chunks better than Lucene's general 1.2 / 0.75. Applied
         * when searching: changing them needs no re-indexing.
         */
        public Builder bm25(float k1, float b) {
            if (!(k1 >= 0 && k1 <= 3)) {
                throw new IllegalArgumentException("bm25 k1 must be in 0..3; k1=" + k1);
            }
            if (!(b >= 0 && b <= 1)) {
                throw new IllegalArgumentException("bm25 b must be in 0..1; b=" + b);
            }
            this.bm25K1 = k1;
            this.bm25B = b;
            return this;
        }

        /** Index directory (required); created when missing. */
        public Builder path(Path path) {
            this.path = Objects.requireNonNull(path, "path must not be null");
            return this;
        }

        /** Vector size (required), 1..{@value LuceneHybridIndex#MAX_DIMENSIONS}; must match the embedding model. */
        public Builder dimensions(int dimensions) {
            this.dimensions = checkRange("dimensions", dimensions, 1, MAX_DIMENSIONS);
            return this;
        }

        /**
         * Size of the optional native vector field, 0..{@value LuceneHybridIndex#MAX_DIMENSIONS}; default 0 (no
         * such field). Must match the collection's multimodal embedder.
         */
        public Builder nativeDimensions(int nativeDimensions) {
            this.nativeDimensions = checkRange("nativeDimensions", nativeDimensions, 0, MAX_DIMENSIONS);
            return this;
        }

        /**
         * Size of the optional companion vector field, 0..{@value LuceneHybridIndex#MAX_DIMENSIONS}; default 0 (no
         * such field). Must match the companion text embedder.
         */
        public Builder companionDimensions(int companionDimensions) {
            this.companionDimensions = checkRange("companionDimensions", companionDimensions, 0, MAX_DIMENSIONS);
            return this;
        }

        /** Vector similarity; default {@link VectorSimilarity#DOT_PRODUCT} (embeddings are L2-normalised). */
        public Builder similarity(VectorSimilarity similarity) {
            this.similarity = Objects.requireNonNull(similarity, "similarity must not be null");
            return this;
        }

        /** Vector storage for the HNSW graph; default {@link VectorQuantization#NONE}. */
        public Builder quantization(VectorQuantization quantization) {
            this.quantization = Objects.requireNonNull(quantization, "quantization must not be null");
            return this;
        }

        /** HNSW max connections per node (M), 2..512; default 16. More = better recall, bigger graph. */
        public Builder hnswM(int hnswM) {
            this.hnswM = checkRange("hnswM", hnswM, 2, Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN);
            return this;
        }

        /** HNSW candidates while building the graph (ef_construction), 1..3200; default 100. */
        public Builder hnswBeamWidth(int hnswBeamWidth) {
            this.hnswBeamWidth =
                    checkRange("hnswBeamWidth", hnswBeamWidth, 1, Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH);
            return this;
        }

        /** HNSW candidates explored per vector search (ef_search), 1..10000; default 100; max(k, efSearch) is used. */
        public Builder efSearch(int efSearch) {
            this.efSearch = checkRange("efSearch", efSearch, 1, 10_000);
            return this;
        }

        /**
         * Hits each retriever contributes to hybrid fusion, 1..10000; default {@value #DEFAULT_HYBRID_CANDIDATES};
         * at least k is used. Deeper lists give min-max fusion a truer floor to normalise from (measured on the
         * pool: docs/evaluation.md).
         */
        public Builder hybridCandidates(int hybridCandidates) {
            this.hybridCandidates = checkRange("hybridCandidates", hybridCandidates, 1, 10_000);
            return this;
        }

        /** The RRF constant k in {@code 1/(rrfK + rank)}, 0..10000; default 60. */
        public Builder rrfK(int rrfK) {
            this.rrfK = checkRange("rrfK", rrfK, 0, 10_000);
            return this;
        }

        /**
         * Analyzer for the text field and keyword queries; default the {@link TextAnalysis} the index records
         * ({@link TextAnalysis#CURRENT} for a new one), owned and closed by the index. A given analyzer is not closed
         * by the index and not recorded in it. Changing it for an existing index requires re-indexing.
         */
        public Builder analyzer(Analyzer analyzer) {
            this.analyzer = Objects.requireNonNull(analyzer, "analyzer must not be null");
            return this;
        }

        /**
         * Opens the index, creating it when the directory holds none.
         *
         * @throws IllegalStateException when path or dimensions was not set
         * @throws IndexException.NonRetriable when the existing index has another vector size or similarity
         * @throws IndexException.Retriable on I/O failure, including the index being locked by another writer
         */
        public LuceneHybridIndex build() {
            if (path == null) {
                throw new IllegalStateException("path is required");
            }
            if (dimensions == 0) {
                throw new IllegalStateException("dimensions is required");
            }
            return new LuceneHybridIndex(this);
        }

        private static int checkRange(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(
                        name + " must be in " + min + ".." + max + "; " + name + "=" + value);
            }
            return value;
        }
    }
}
