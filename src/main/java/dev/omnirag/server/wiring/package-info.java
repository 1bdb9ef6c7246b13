/** CDI producers that build the plain-Java library objects (embedder, generator, parser) from configuration. */
package dev.omnirag.server.wiring;
