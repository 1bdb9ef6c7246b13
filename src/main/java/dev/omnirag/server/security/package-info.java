/**
 * Access control: API keys (created by an admin, stored as SHA-256 hashes), roles per collection, the request
 * filter that authenticates every {@code /v1} and {@code /v2} call before routing and every matched endpoint after
 * it and limits its rate (requests and model tokens), the collection role checked before a body is read
 * ({@link dev.omnirag.server.security.RequiresCollectionRole}), the {@link dev.omnirag.server.security.Access}
 * checks the resources make, the first-start admin key, and the signed links of chat citations
 * ({@link dev.omnirag.server.security.LinkSigner}: one document's file and page image without a key, until they
 * expire). See docs/security.md.
 */
package dev.omnirag.server.security;
