/**
 * Access control: API keys (created by an admin, stored as SHA-256 hashes), roles per collection, the request
 * filter that authenticates every {@code /v1} call and limits its rate, the {@link dev.omnirag.server.security.Access}
 * checks the resources make, and the first-start admin key. See docs/security.md.
 */
package dev.omnirag.server.security;
