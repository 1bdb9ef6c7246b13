package dev.omnirag.generator;

/**
 * Answers a question from numbered sources (retrieved passages), citing them.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #generate(GenerationRequest, AnswerListener)} blocks until the answer is complete and returns
 *       it; meanwhile it calls the listener on the calling thread: {@link AnswerListener#onDelta} for each piece
 *       of text as it is produced, and {@link AnswerListener#onCitation} as soon as a citation is complete, no
 *       later than the delta that contains its {@code [n]} marker.</li>
 *   <li>The concatenation of all deltas equals {@link Answer#text()}; the citations reported equal
 *       {@link Answer#citations()}, in the same order.</li>
 *   <li>Every citation's quote is exactly {@code request.sources().get(sourceIndex).text()
 *       .substring(quoteStart, quoteEnd)}, so callers may map offsets back to the document.</li>
 *   <li>Thread safe: one instance serves concurrent requests. Calls may be CPU-heavy or wait on a remote
 *       model, so never call them on an event loop.</li>
 *   <li>Failures throw {@link GenerationException}; no partial answer is returned then (deltas already
 *       streamed stay streamed).</li>
 * </ul>
 */
public interface Generator {

    /** Short identifier of the generator, e.g. {@code extractive}, for logs and answers' metadata. */
    String name();

    /** Produces the answer, streaming it to {@code listener}; see the interface contract. */
    Answer generate(GenerationRequest request, AnswerListener listener);

    /** Produces the answer without streaming it. */
    default Answer generate(GenerationRequest request) {
        return generate(request, AnswerListener.NONE);
    }
}
