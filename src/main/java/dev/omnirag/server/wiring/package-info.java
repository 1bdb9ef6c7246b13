/**
 * CDI producers that build the plain-Java library objects (embedder, generator, parser) from configuration, the
 * embedder's decorators (metering, the query cache, the extractive answer's sentence cache), and the cancellation of a
 * request's model work when its client goes away.
 */
package dev.omnirag.server.wiring;
