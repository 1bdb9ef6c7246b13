/** Serving the web UI (its files come from the omnirag-ui jar's META-INF/resources). */
package dev.omnirag.server.web;
