package dev.omnirag.server.search;

import dev.omnirag.generator.Answer;
import dev.omnirag.generator.AnswerListener;
import dev.omnirag.generator.Citation;
import dev.omnirag.generator.GenerationRequest;
import dev.omnirag.generator.Generator;
import dev.omnirag.generator.Source;
import dev.omnirag.index.Fusion;
import dev.omnirag.index.Locator;
import dev.omnirag.index.SearchFilter;
import dev.omnirag.index.SearchHit;
import dev.omnirag.index.SearchMode;
import dev.omnirag.server.db.CollectionEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.Consumer;

/**
 * Answers a question over a collection: hybrid search for the top chunks, then the generator, then each
 * citation is tied back to its chunk with a locator narrowed to the quoted characters on the page.
 */
@ApplicationScoped
public class AskService {

    private final SearchService search;
    private final Generator generator;
    private final ChunkLayouts layouts;

    AskService(SearchService search, Generator generator, ChunkLayouts layouts) {
        this.search = search;
        this.generator = generator;
        this.layouts = layouts;
    }

    /** A citation resolved to its chunk and page. */
    public record ResolvedCitation(int n, SearchHit hit, Locator locator, String quote) {
    }

    /** The answer with resolved citations. */
    public record Result(Answer answer, List<ResolvedCitation> citations, String generator) {
    }

    /** The retrieved context an answer will be built from (blocking: embeds and searches). */
    public List<SearchHit> retrieve(CollectionEntity collection, String question, int k) {
        return search.search(collection, question, k, SearchMode.HYBRID, Fusion.RRF, SearchFilter.NONE);
    }

    /** The retrieved context for a question and/or an image (see {@link SearchService.Query}). */
    public List<SearchHit> retrieve(CollectionEntity collection, SearchService.Query query, int k) {
        return search.search(collection, query, k, SearchMode.HYBRID, Fusion.RRF, SearchFilter.NONE);
    }

    /** Generates the answer from retrieved hits, reporting text and citations as they are produced. */
    public Result answer(String question, List<SearchHit> hits, Consumer<String> onDelta,
            Consumer<ResolvedCitation> onCitation) {
        List<Source> sources = hits.stream().map(h -> new Source(h.chunkId(), h.text(), label(h))).toList();
        Answer answer = generator.generate(new GenerationRequest(question, sources, List.of()), new AnswerListener() {
            @Override
            public void onDelta(String text) {
                onDelta.accept(text);
            }

            @Override
            public void onCitation(Citation citation) {
                onCitation.accept(positioned(resolve(citation, hits)));
            }
        });
        List<ResolvedCitation> citations = answer.citations().stream().map(c -> positioned(resolve(c, hits))).toList();
        return new Result(answer, citations, generator.name());
    }

    static ResolvedCitation resolve(Citation c, List<SearchHit> hits) {
        SearchHit hit = hits.get(c.sourceIndex());
        return new ResolvedCitation(c.n(), hit, ChunkLayouts.narrow(hit, null, c.quoteStart(), c.quoteEnd()), c.quote());
    }

    /** For OCR'd and transcribed chunks: the box or seconds of exactly the quoted words. */
    private ResolvedCitation positioned(ResolvedCitation r) {
        if (!ChunkLayouts.positioned(r.hit()) || r.locator().charStart() == null || r.hit().locator().charStart() == null) {
            return r;
        }
        var spans = layouts.spans(List.of(r.hit())).get(r.hit().chunkId());
        if (spans == null) {
            return r;
        }
        int from = r.locator().charStart() - r.hit().locator().charStart();
        int to = r.locator().charEnd() - r.hit().locator().charStart();
        return new ResolvedCitation(r.n(), r.hit(), ChunkLayouts.narrow(r.hit(), spans, from, to), r.quote());
    }

    private static String label(SearchHit h) {
        return h.locator().page() == null ? h.filename() : h.filename() + ", page " + h.locator().page();
    }
}
