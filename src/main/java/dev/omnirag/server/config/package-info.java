/**
 * Configuration: one {@code @ConfigMapping} interface per concern under {@code omnirag.*}, and the config source
 * that derives Quarkus' hard body cap from Omnirag's own limits.
 */
package dev.omnirag.server.config;
