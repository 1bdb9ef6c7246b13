/**
 * Configuration: one {@code @ConfigMapping} interface per concern under {@code omnirag.*}, and the config sources
 * that derive Quarkus settings from Omnirag's own keys (the hard body cap from the upload and JSON limits, the CORS
 * filter from {@code omnirag.http.cors.origins}).
 */
package dev.omnirag.server.config;
