/**
 * Text structure shared by every module that reads sentences: {@link dev.omnirag.generator.text.SentenceSplitter},
 * the one sentence model used by the chunker (server), the extractive generator and citation checker (generator),
 * the answer's claims ({@link dev.omnirag.generator.Claims}) and the late-interaction reranker.
 */
package dev.omnirag.generator.text;
