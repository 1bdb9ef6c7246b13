/** Serving the web UI (its files come from the omnirag-ui jar's META-INF/resources) and the security headers of every response. */
package dev.omnirag.server.web;
