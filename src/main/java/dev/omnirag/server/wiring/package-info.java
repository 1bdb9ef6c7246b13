/**
 * CDI producers that build the plain-Java library objects from configuration, one class per concern
 * ({@code EmbedderProducers}, {@code GeneratorProducers}, {@code RerankerProducers}, {@code MediaProducers}), the
 * embedder's decorators (metering, the query cache, the extractive answer's sentence cache), and the cancellation of a
 * request's model work when its client goes away, and the classes loaded at start so that the JIT's compiled code is
 * not thrown away later ({@code EarlyClassLoading}).
 */
package dev.omnirag.server.wiring;
