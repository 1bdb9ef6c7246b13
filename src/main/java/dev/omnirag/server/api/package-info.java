/**
 * The HTTP API: REST and SSE resources under {@code /v1}, their request/response records, and the single
 * exception mapper that turns every failure into {@code application/problem+json}.
 */
package dev.omnirag.server.api;
